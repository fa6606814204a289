/**
 * Export and import of a local store: JSON Lines (the fast multi-reader writer), JSON, CSV and text of messages,
 * and whole-account archives in {@code export.archive}. Reads the store through its one read-snapshot entry point
 * ({@link dev.novyse.store.LocalDatabase#readSnapshots}); the store knows nothing of export.
 */
package dev.novyse.export;
