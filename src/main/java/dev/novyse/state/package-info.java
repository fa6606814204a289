/**
 * The chat screen's state: immutable {@link dev.novyse.state.AppState} snapshots on a
 * {@link dev.novyse.state.StateBus}, fed by the {@link dev.novyse.state.StateDriver} from the store after each
 * commit (it subscribes to the live channel's events), and {@link dev.novyse.state.Lookups} for the reads a screen
 * makes on demand. Uses sync and store; sync never uses state.
 */
package dev.novyse.state;
