package dev.novyse.store;

import java.util.List;

/**
 * The schema history. Each entry is frozen once released: a later change is a new migration, never an
 * edit of an old one, so that a database created by any earlier version upgrades through the same steps
 * the tests replay.
 */
final class Migrations {
    private Migrations() {}

    /** Version 1: the client schema (table names follow the public client, docs/protocol.md#s6). */
    static final Migration V1 = new Migration(1, "client schema", List.of(
            "CREATE TABLE chat_type (value TEXT PRIMARY KEY, description TEXT)",
            "INSERT INTO chat_type(value, description) VALUES ('DM', 'Direct message'), ('GROUP', 'Group'),"
                    + " ('CHANNEL', 'Channel'), ('FORUM', 'Forum')",
            "CREATE TABLE handle_type (value TEXT PRIMARY KEY, description TEXT)",
            "INSERT INTO handle_type(value, description) VALUES ('USER', 'User'), ('CHAT', 'Chat'), ('BOT', 'Bot')",
            """
            CREATE TABLE user (
              uuid TEXT PRIMARY KEY,
              name TEXT NOT NULL,
              surname TEXT, handle TEXT, profilePictureUUID TEXT, bannerPictureUUID TEXT, biography TEXT,
              birthday TEXT, region TEXT, country TEXT, color TEXT,
              profileEventID INTEGER NOT NULL DEFAULT 0)""",
            "CREATE INDEX user_handle ON user(handle COLLATE NOCASE)",
            "CREATE TABLE bot (uuid TEXT PRIMARY KEY, name TEXT, biography TEXT, profilePictureUUID TEXT)",
            """
            CREATE TABLE handle (
              handle TEXT PRIMARY KEY COLLATE NOCASE,
              userUUID TEXT, chatUUID TEXT, botUUID TEXT,
              type TEXT NOT NULL REFERENCES handle_type(value))""",
            "CREATE INDEX handle_user ON handle(userUUID)",
            "CREATE INDEX handle_chat ON handle(chatUUID)",
            """
            CREATE TABLE chat (
              uuid TEXT PRIMARY KEY,
              type TEXT NOT NULL REFERENCES chat_type(value),
              name TEXT, description TEXT, profilePictureUUID TEXT, handle TEXT,
              eventID INTEGER NOT NULL DEFAULT 0)""",
            "CREATE INDEX chat_name ON chat(name COLLATE NOCASE)",
            "CREATE INDEX chat_handle ON chat(handle COLLATE NOCASE)",
            """
            CREATE TABLE chat_sub (
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              id INTEGER NOT NULL, name TEXT, type TEXT NOT NULL DEFAULT 'DEFAULT', created_at TEXT,
              PRIMARY KEY (chatUUID, id))""",
            """
            CREATE TABLE role (
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              id INTEGER NOT NULL, name TEXT, permission TEXT, level INTEGER, color TEXT,
              PRIMARY KEY (chatUUID, id))""",
            """
            CREATE TABLE member (
              userUUID TEXT NOT NULL,
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              role_ids TEXT NOT NULL DEFAULT '[]', joined_at TEXT,
              PRIMARY KEY (userUUID, chatUUID))""",
            "CREATE INDEX member_chat ON member(chatUUID)",
            // The account's own pinned chats (CHAT_PINNED user events).
            """
            CREATE TABLE chat_pin (
              chatUUID TEXT PRIMARY KEY REFERENCES chat(uuid) ON DELETE CASCADE,
              position INTEGER NOT NULL)""",
            // Legacy table of the public client, kept for schema parity; unused.
            """
            CREATE TABLE pinned_chat (
              userUUID TEXT NOT NULL, chatUUID TEXT NOT NULL, sort_order INTEGER,
              PRIMARY KEY (userUUID, chatUUID))""",
            // A rowid table (not WITHOUT ROWID): migration 2's FTS index is keyed by the rowid.
            // Soft deletes: a tombstone keeps its id so the per-sub cursor MAX(id) stays dense.
            """
            CREATE TABLE message (
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              subID INTEGER NOT NULL,
              id INTEGER NOT NULL,
              senderUUID TEXT, content TEXT, type TEXT NOT NULL DEFAULT 'message', system_action TEXT,
              created_at TEXT,
              edited INTEGER NOT NULL DEFAULT 0,
              deleted INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (chatUUID, subID, id))""",
            "CREATE INDEX message_chat_time ON message(chatUUID, created_at)",
            // One row per received edit event: the history the author/admins may see.
            """
            CREATE TABLE edited_message (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              eventID INTEGER NOT NULL, content TEXT, editedAt TEXT, editorUUID TEXT,
              PRIMARY KEY (chatUUID, subID, messageID, eventID),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            """
            CREATE TABLE deleted_message (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              eventID INTEGER, deletedAt TEXT, deletedBy TEXT,
              PRIMARY KEY (chatUUID, subID, messageID),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            """
            CREATE TABLE reaction_message (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              userUUID TEXT NOT NULL, reaction TEXT NOT NULL, at TEXT,
              PRIMARY KEY (chatUUID, subID, messageID, userUUID, reaction),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            // References the chat, not the message: a chat's pins may name messages a paged sync has not
            // delivered yet.
            """
            CREATE TABLE pinned_message (
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              subID INTEGER NOT NULL, messageID INTEGER NOT NULL, pinned_at TEXT, pinned_by TEXT,
              PRIMARY KEY (chatUUID, subID, messageID))""",
            // Keyed by position rather than an autoincrement id so that re-applying a message is idempotent.
            """
            CREATE TABLE message_reply (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              position INTEGER NOT NULL,
              replyTo_chatUUID TEXT, replyTo_subID INTEGER, replyTo_messageID INTEGER,
              replyTo_rangeStart INTEGER, replyTo_rangeEnd INTEGER,
              PRIMARY KEY (chatUUID, subID, messageID, position),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            // Read watermarks: a user's watermark in a (chat, sub) is the MAX(messageID) of their rows.
            """
            CREATE TABLE message_read (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              userUUID TEXT NOT NULL, readAt TEXT,
              PRIMARY KEY (chatUUID, subID, messageID, userUUID),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            "CREATE INDEX message_read_watermark ON message_read(chatUUID, userUUID, subID, messageID)",
            """
            CREATE TABLE file (
              uuid TEXT PRIMARY KEY, name TEXT, ref TEXT, mimeType TEXT, size INTEGER, created_at TEXT,
              duration REAL, waveform TEXT)""",
            """
            CREATE TABLE message_files (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL,
              fileUUID TEXT NOT NULL, position INTEGER NOT NULL DEFAULT 0,
              PRIMARY KEY (chatUUID, subID, messageID, fileUUID),
              FOREIGN KEY (chatUUID, subID, messageID) REFERENCES message(chatUUID, subID, id) ON DELETE CASCADE)""",
            // The outbox: never in `message`, so it cannot inflate a cursor (docs/protocol.md#s9.1). No FK to chat:
            // removing a chat must not silently drop what the user typed.
            """
            CREATE TABLE pending_message (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              tempId TEXT NOT NULL UNIQUE,
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL DEFAULT 0, content TEXT,
              replyTo_chatUUID TEXT, replyTo_subID INTEGER, replyTo_messageID INTEGER,
              created_at TEXT NOT NULL,
              attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
              state TEXT NOT NULL DEFAULT 'PENDING' CHECK (state IN ('PENDING', 'FAILED', 'SENT')),
              server_message_id INTEGER)""",
            "CREATE INDEX pending_message_chat ON pending_message(chatUUID, subID, id)",
            """
            CREATE TABLE pending_file (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              pending_message_id INTEGER NOT NULL REFERENCES pending_message(id) ON DELETE CASCADE,
              path TEXT NOT NULL, name TEXT NOT NULL, mimeType TEXT, size INTEGER NOT NULL DEFAULT 0,
              uploaded INTEGER NOT NULL DEFAULT 0,
              state TEXT NOT NULL DEFAULT 'PENDING')""",
            "CREATE INDEX pending_file_message ON pending_file(pending_message_id)",
            // References the chat only: favourites arrive with initialize, before a paged sync delivers messages.
            """
            CREATE TABLE favorite_message (
              chatUUID TEXT NOT NULL REFERENCES chat(uuid) ON DELETE CASCADE,
              subID INTEGER NOT NULL, messageID INTEGER NOT NULL, createdAt TEXT,
              PRIMARY KEY (chatUUID, subID, messageID))""",
            """
            CREATE TABLE local_settings (
              key TEXT PRIMARY KEY, value_json TEXT, scope TEXT NOT NULL DEFAULT 'synced', updated_at TEXT)""",
            "CREATE TABLE sync_state (key TEXT PRIMARY KEY, value)"
    ));

    /**
     * Version 2: full-text search over message content for offline search. An external-content FTS5 index
     * keyed by message.rowid, maintained by triggers; existing rows are indexed by 'rebuild'.
     * Upserts must use ON CONFLICT DO UPDATE (keeps the rowid), never INSERT OR REPLACE. A VACUUM may renumber
     * rowids of message (it has no INTEGER PRIMARY KEY) and must be followed by a 'rebuild'.
     */
    static final Migration V2 = new Migration(2, "message full-text search", List.of(
            "CREATE VIRTUAL TABLE message_fts USING fts5(content, content='message', content_rowid='rowid',"
                    + " tokenize='unicode61 remove_diacritics 2')",
            // Every message row has an index document, tombstones (NULL content) included: FTS5 expects one
            // document per content-table row ('rebuild' and 'integrity-check' assume it).
            """
            CREATE TRIGGER message_fts_insert AFTER INSERT ON message BEGIN
              INSERT INTO message_fts(rowid, content) VALUES (new.rowid, new.content);
            END""",
            """
            CREATE TRIGGER message_fts_delete AFTER DELETE ON message BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
            END""",
            """
            CREATE TRIGGER message_fts_update AFTER UPDATE OF content ON message
            WHEN old.content IS NOT new.content BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
              INSERT INTO message_fts(rowid, content) VALUES (new.rowid, new.content);
            END""",
            "INSERT INTO message_fts(message_fts) VALUES ('rebuild')"
    ));

    /**
     * Version 3: what was typed and not sent, one draft per chat and sub, so that leaving a chat (or the program)
     * keeps it. Not tied to the chat row: a draft may outlive a chat list refresh, and an empty text is no draft.
     */
    static final Migration V3 = new Migration(3, "drafts per chat", List.of(
            """
            CREATE TABLE draft (
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, text TEXT NOT NULL, updated_at TEXT,
              PRIMARY KEY (chatUUID, subID))"""
    ));

    /**
     * Version 4: full-text rows of a sync page written in bulk. Indexing each row by a trigger cost about as much as
     * the message row itself; a page now inserts its messages with indexing deferred and indexes them all with one
     * {@code INSERT ... SELECT} before it commits ({@link BulkPage}). While a page defers,
     * {@code message_fts_pending} holds one row: the largest rowid that was indexed when the page began. The rule
     * every trigger follows: a message row is in the index unless indexing is deferred and its rowid is above that
     * mark; the page's flush indexes exactly those rows and deletes the mark. Outside a page the table is empty and
     * every write path (live, outbox acknowledgement, import, edit, delete) indexes through the triggers as before.
     * The mark is written in the page's transaction, so a crash rolls it back with the rows it covered.
     */
    static final Migration V4 = new Migration(4, "full-text rows in bulk per sync page", List.of(
            "CREATE TABLE message_fts_pending (above INTEGER NOT NULL)",
            "DROP TRIGGER message_fts_insert",
            "DROP TRIGGER message_fts_delete",
            "DROP TRIGGER message_fts_update",
            """
            CREATE TRIGGER message_fts_insert AFTER INSERT ON message
            WHEN NOT EXISTS (SELECT 1 FROM message_fts_pending WHERE new.rowid > above) BEGIN
              INSERT INTO message_fts(rowid, content) VALUES (new.rowid, new.content);
            END""",
            """
            CREATE TRIGGER message_fts_delete AFTER DELETE ON message
            WHEN NOT EXISTS (SELECT 1 FROM message_fts_pending WHERE old.rowid > above) BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
            END""",
            """
            CREATE TRIGGER message_fts_update AFTER UPDATE OF content ON message
            WHEN old.content IS NOT new.content
              AND NOT EXISTS (SELECT 1 FROM message_fts_pending WHERE old.rowid > above) BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
              INSERT INTO message_fts(rowid, content) VALUES (new.rowid, new.content);
            END"""
    ));

    /**
     * Version 5: reactions queued offline. One row per (message, emoji): the latest of add or take back wins, so
     * toggling while offline sends one request, not a history. A row goes when the server accepted or refused it.
     */
    static final Migration V5 = new Migration(5, "reactions queued offline", List.of(
            """
            CREATE TABLE pending_reaction (
              id INTEGER PRIMARY KEY AUTOINCREMENT,
              chatUUID TEXT NOT NULL, subID INTEGER NOT NULL, messageID INTEGER NOT NULL, emoji TEXT NOT NULL,
              adding INTEGER NOT NULL, created_at TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, last_error TEXT,
              UNIQUE (chatUUID, subID, messageID, emoji))"""
    ));

    /**
     * Version 6: full-text rewrites of a sync page in rowid order. FTS5 writes its pending terms to disk whenever a
     * rowid below the last one written arrives, so a catch-up's edits and deletions of old messages, which touch
     * rowids scattered over the whole store, each cost a flush of a small segment (~90 us a deletion, most of a
     * catch-up's events). While a page defers indexing (V4's mark), a row at or below the mark whose content changes
     * is not rewritten in the index at once: {@code message_fts_rewrite} keeps the content the index holds for it
     * (the first one, should the page change the row again), and the page's flush ({@link BulkPage#index}) deletes
     * those documents and indexes the rows' current content, in rowid order, before it indexes the page's new rows.
     * A row deleted meanwhile is deleted from the index with the content the index holds. Outside a page the table
     * is empty and every trigger works as in V4.
     */
    static final Migration V6 = new Migration(6, "full-text rewrites of a sync page in rowid order", List.of(
            "CREATE TABLE message_fts_rewrite (rowid INTEGER PRIMARY KEY, content TEXT)",
            "DROP TRIGGER message_fts_update",
            "DROP TRIGGER message_fts_delete",
            """
            CREATE TRIGGER message_fts_update AFTER UPDATE OF content ON message
            WHEN old.content IS NOT new.content AND NOT EXISTS (SELECT 1 FROM message_fts_pending) BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid, old.content);
              INSERT INTO message_fts(rowid, content) VALUES (new.rowid, new.content);
            END""",
            """
            CREATE TRIGGER message_fts_update_deferred AFTER UPDATE OF content ON message
            WHEN old.content IS NOT new.content
              AND EXISTS (SELECT 1 FROM message_fts_pending WHERE old.rowid <= above) BEGIN
              INSERT OR IGNORE INTO message_fts_rewrite(rowid, content) VALUES (old.rowid, old.content);
            END""",
            """
            CREATE TRIGGER message_fts_delete AFTER DELETE ON message
            WHEN NOT EXISTS (SELECT 1 FROM message_fts_pending WHERE old.rowid > above) BEGIN
              INSERT INTO message_fts(message_fts, rowid, content) VALUES ('delete', old.rowid,
                CASE WHEN EXISTS (SELECT 1 FROM message_fts_rewrite WHERE rowid = old.rowid)
                     THEN (SELECT content FROM message_fts_rewrite WHERE rowid = old.rowid)
                     ELSE old.content END);
              DELETE FROM message_fts_rewrite WHERE rowid = old.rowid;
            END"""
    ));

    /**
     * Version 7: cheaper message writes (docs/benchmarks.md, issue 14). No (chatUUID, created_at) index: every
     * message written paid for it, about an eighth of a sync page's store time. Its readers were the chat list's last
     * message per chat, which now takes each sub's newest message from the primary key (ViewQueries#chatsSql), and
     * {@code export --since}, which now reads each chat's rows on the primary key and filters them (a million-message
     * chat: about 125 ms instead of 25). The full-text index merges 8 segments at a time instead of 4 (each page adds
     * a segment): a million messages index 6 % faster. Not 16: that is FTS5's crisismerge, and a level would then
     * be merged whole inside whichever write adds its 16th segment (a live send stalled 143-289 ms after a bulk load).
     */
    static final Migration V7 = new Migration(7, "cheaper message writes", List.of(
            "DROP INDEX IF EXISTS message_chat_time",
            "INSERT INTO message_fts(message_fts, rank) VALUES ('automerge', 8)"
    ));

    /**
     * Version 8: local settings hold JSON, as their column says and {@code export --all} reads it. The chat screen
     * kept the last chat open as bare text ("uuid/0"), and from then on every whole-store export failed on it (cut
     * short on stdout). Such values become JSON strings; {@link LocalRows#putSetting} quotes new ones.
     */
    static final Migration V8 = new Migration(8, "local settings as JSON", List.of(
            "UPDATE local_settings SET value_json = json_quote(value_json)"
                    + " WHERE scope = 'local' AND value_json IS NOT NULL AND json_valid(value_json) = 0"
    ));

    static final List<Migration> ALL = List.of(V1, V2, V3, V4, V5, V6, V7, V8);

    static int latest() {
        return ALL.get(ALL.size() - 1).version();
    }
}
