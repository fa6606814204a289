/**
 * Keeping the store in step with the server: the HTTP client, initialize and update with per-chat cursors
 * ({@link dev.novyse.sync.SyncEngine}, {@link dev.novyse.sync.BatchApplier}), the live channel (connection, apply
 * pipeline, and one sealed {@link dev.novyse.sync.ChannelEvent} type published to subscribers), the outbox sender
 * and the chat actions. See docs/architecture.md for the invariants this package holds.
 */
package dev.novyse.sync;
