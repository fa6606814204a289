package dev.novyse.store;

/**
 * What a sync page of thousands of messages does around them: their full-text rows are written with one
 * {@code INSERT ... SELECT} before the page commits instead of one trigger per row (which cost about as much as the
 * message row itself). Migration 4 describes how the
 * triggers keep the index right while a page defers: the mark in {@code message_fts_pending} is written in the
 * page's transaction, so a crash rolls it back with the rows it covered, and search sees every message of the page
 * the moment it commits. (A 64 MiB page cache for the applying connection was tried beside it: no faster in the
 * 100k run, 38 MiB more RSS, and the chat screen applies pages on the same connection; left at SQLite's default.)
 */
final class BulkPage {
    private BulkPage() {}

    /** Marks the largest rowid indexed now: rows inserted above it are indexed by {@link #index}. */
    static void begin(Tx tx) {
        tx.update("DELETE FROM message_fts_pending");
        tx.update("INSERT INTO message_fts_pending(above) SELECT COALESCE(MAX(rowid), 0) FROM message");
    }

    /**
     * Rewrites the documents of rows at or below the mark that changed meanwhile (migration 6), then indexes the rows
     * above the mark, as they are now, and removes the mark (a no-op without one). All in ascending rowid order:
     * FTS5 keeps its pending terms in memory only while rowids ascend.
     */
    static void index(Tx tx) {
        tx.update("INSERT INTO message_fts(message_fts, rowid, content)"
                + " SELECT 'delete', rowid, content FROM message_fts_rewrite ORDER BY rowid");
        tx.update("INSERT INTO message_fts(rowid, content) SELECT m.rowid, m.content"
                + " FROM message_fts_rewrite r JOIN message m ON m.rowid = r.rowid ORDER BY r.rowid");
        tx.update("DELETE FROM message_fts_rewrite");
        tx.update("INSERT INTO message_fts(rowid, content) SELECT rowid, content FROM message"
                + " WHERE rowid > (SELECT above FROM message_fts_pending) ORDER BY rowid");
        tx.update("DELETE FROM message_fts_pending");
    }
}
