package dev.novyse.store;

/**
 * What a sync page of thousands of messages does around them: their full-text rows are written with one
 * {@code INSERT ... SELECT} before the page commits instead of one trigger per row (which cost about as much as the
 * message row itself), and the connection gets a page cache sized for the work. Migration 4 describes how the
 * triggers keep the index right while a page defers: the mark in {@code message_fts_pending} is written in the
 * page's transaction, so a crash rolls it back with the rows it covered, and search sees every message of the page
 * the moment it commits.
 */
final class BulkPage {
    /**
     * The page cache of a connection that applies pages, in KiB (64 MiB). A page writes rows of every chat into both
     * message indexes and the full-text index; with SQLite's default 2 MiB most of their pages are read from the
     * file again on every page. The cache grows only as pages are read, so a small store never fills it; the
     * connection keeps it for the next page and the next sync.
     */
    static final int PAGE_CACHE_KIB = 64 * 1024;

    private BulkPage() {}

    /** Marks the largest rowid indexed now: rows inserted above it are indexed by {@link #index}. */
    static void begin(Tx tx) {
        tx.update("PRAGMA cache_size=-" + PAGE_CACHE_KIB);
        tx.update("DELETE FROM message_fts_pending");
        tx.update("INSERT INTO message_fts_pending(above) SELECT COALESCE(MAX(rowid), 0) FROM message");
    }

    /** Indexes the rows above the mark, as they are now, and removes the mark (a no-op without one). */
    static void index(Tx tx) {
        tx.update("INSERT INTO message_fts(rowid, content) SELECT rowid, content FROM message"
                + " WHERE rowid > (SELECT above FROM message_fts_pending)");
        tx.update("DELETE FROM message_fts_pending");
    }
}
