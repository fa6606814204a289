package dev.novyse.server;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The server's tables: materialised state plus append-only event logs. Versioned with {@code user_version};
 * each migration commits together with its version bump.
 */
final class ServerSchema {
    private ServerSchema() {}

    private static final List<String> V1 = List.of(
            """
            CREATE TABLE users(
              uuid TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, name TEXT NOT NULL, surname TEXT,
              biography TEXT, profile_picture_uuid TEXT, banner_picture_uuid TEXT, birthday TEXT, region TEXT,
              country TEXT, color TEXT, password_hash BLOB NOT NULL, password_salt BLOB NOT NULL,
              created_at TEXT NOT NULL,
              profile_event_seq INTEGER NOT NULL DEFAULT 0, user_event_seq INTEGER NOT NULL DEFAULT 0)""",
            "CREATE TABLE handles(handle TEXT PRIMARY KEY, user_uuid TEXT, chat_uuid TEXT)",
            """
            CREATE TABLE sessions(id INTEGER PRIMARY KEY AUTOINCREMENT, secret TEXT NOT NULL UNIQUE,
              user_uuid TEXT NOT NULL REFERENCES users(uuid), platform TEXT, created_at TEXT NOT NULL,
              revoked INTEGER NOT NULL DEFAULT 0)""",
            """
            CREATE TABLE chats(uuid TEXT PRIMARY KEY, type TEXT NOT NULL, name TEXT, description TEXT,
              handle TEXT UNIQUE, picture_uuid TEXT, created_at TEXT NOT NULL, created_by TEXT,
              event_seq INTEGER NOT NULL DEFAULT 0, next_sub_id INTEGER NOT NULL DEFAULT 1, dm_key TEXT UNIQUE)""",
            """
            CREATE TABLE subs(chat_uuid TEXT NOT NULL REFERENCES chats(uuid), id INTEGER NOT NULL, name TEXT,
              type TEXT NOT NULL, created_at TEXT NOT NULL, next_message_id INTEGER NOT NULL DEFAULT 1,
              deleted INTEGER NOT NULL DEFAULT 0, PRIMARY KEY(chat_uuid, id))""",
            """
            CREATE TABLE members(chat_uuid TEXT NOT NULL REFERENCES chats(uuid), user_uuid TEXT NOT NULL
              REFERENCES users(uuid), role_ids TEXT NOT NULL DEFAULT '[0]', joined_at TEXT NOT NULL,
              PRIMARY KEY(chat_uuid, user_uuid))""",
            "CREATE INDEX members_by_user ON members(user_uuid)",
            """
            CREATE TABLE messages(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, id INTEGER NOT NULL,
              sender_uuid TEXT NOT NULL, content TEXT, type TEXT NOT NULL DEFAULT 'message', system_action TEXT,
              created_at TEXT NOT NULL, edited INTEGER NOT NULL DEFAULT 0, deleted INTEGER NOT NULL DEFAULT 0,
              temp_id TEXT, PRIMARY KEY(chat_uuid, sub_id, id)) WITHOUT ROWID""",
            "CREATE UNIQUE INDEX messages_by_temp_id ON messages(sender_uuid, temp_id) WHERE temp_id IS NOT NULL",
            """
            CREATE TABLE message_files(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
              file_uuid TEXT NOT NULL, name TEXT NOT NULL, mime_type TEXT, size INTEGER, duration REAL,
              PRIMARY KEY(chat_uuid, sub_id, message_id, file_uuid))""",
            """
            CREATE TABLE message_replies(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
              seq INTEGER NOT NULL, reply_chat_uuid TEXT NOT NULL, reply_sub_id INTEGER NOT NULL,
              reply_message_id INTEGER NOT NULL, range_start INTEGER, range_end INTEGER,
              PRIMARY KEY(chat_uuid, sub_id, message_id, seq))""",
            """
            CREATE TABLE reactions(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
              user_uuid TEXT NOT NULL, reaction TEXT NOT NULL, created_at TEXT NOT NULL,
              PRIMARY KEY(chat_uuid, sub_id, message_id, user_uuid, reaction))""",
            """
            CREATE TABLE pins(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, message_id INTEGER NOT NULL,
              pinned_at TEXT NOT NULL, pinned_by TEXT NOT NULL, PRIMARY KEY(chat_uuid, sub_id, message_id))""",
            """
            CREATE TABLE reads(chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL, user_uuid TEXT NOT NULL,
              message_id INTEGER NOT NULL, read_at TEXT NOT NULL, PRIMARY KEY(chat_uuid, sub_id, user_uuid))""",
            "CREATE INDEX reads_by_message ON reads(chat_uuid, sub_id, message_id)",
            """
            CREATE TABLE chat_events(chat_uuid TEXT NOT NULL, id INTEGER NOT NULL, type TEXT NOT NULL,
              user_uuid TEXT NOT NULL, created_at TEXT NOT NULL, payload TEXT NOT NULL, sub_id INTEGER,
              message_id INTEGER, PRIMARY KEY(chat_uuid, id)) WITHOUT ROWID""",
            "CREATE INDEX chat_events_by_message ON chat_events(chat_uuid, sub_id, message_id, type, id)",
            """
            CREATE TABLE profile_events(user_uuid TEXT NOT NULL, id INTEGER NOT NULL, type TEXT NOT NULL,
              created_at TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY(user_uuid, id)) WITHOUT ROWID""",
            """
            CREATE TABLE user_events(user_uuid TEXT NOT NULL, id INTEGER NOT NULL, type TEXT NOT NULL,
              chat_uuid TEXT, created_at TEXT NOT NULL, payload TEXT NOT NULL, PRIMARY KEY(user_uuid, id)) WITHOUT ROWID""",
            """
            CREATE TABLE chat_pins(user_uuid TEXT NOT NULL, chat_uuid TEXT NOT NULL, position INTEGER NOT NULL,
              PRIMARY KEY(user_uuid, chat_uuid))""",
            """
            CREATE TABLE favorites(user_uuid TEXT NOT NULL, chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL,
              message_id INTEGER NOT NULL, created_at TEXT NOT NULL, PRIMARY KEY(user_uuid, chat_uuid, sub_id, message_id))""",
            "CREATE TABLE settings(user_uuid TEXT NOT NULL, key TEXT NOT NULL, value TEXT, PRIMARY KEY(user_uuid, key))",
            "CREATE TABLE server_meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)");

    /**
     * Version 2: messages with files are two-phase. Until every file is uploaded and the author confirms, the
     * message lives in {@code pending_messages}, outside {@code messages}: it takes no id, so per-sub ids stay
     * dense and no reader ever sees a message whose files are missing. The row is kept after the commit
     * ({@code message_id} set) so that a retried confirm answers with the committed message.
     */
    private static final List<String> V2 = List.of(
            """
            CREATE TABLE pending_messages(uuid TEXT PRIMARY KEY, chat_uuid TEXT NOT NULL, sub_id INTEGER NOT NULL,
              sender_uuid TEXT NOT NULL, content TEXT, temp_id TEXT, replies TEXT NOT NULL DEFAULT '[]',
              created_at TEXT NOT NULL, message_id INTEGER)""",
            "CREATE UNIQUE INDEX pending_messages_by_temp_id ON pending_messages(sender_uuid, temp_id) WHERE temp_id IS NOT NULL",
            """
            CREATE TABLE uploads(file_uuid TEXT PRIMARY KEY, message_uuid TEXT NOT NULL
              REFERENCES pending_messages(uuid) ON DELETE CASCADE, seq INTEGER NOT NULL, name TEXT NOT NULL,
              mime_type TEXT, size INTEGER NOT NULL, duration REAL, uploaded INTEGER NOT NULL DEFAULT 0)""",
            "CREATE INDEX uploads_by_message ON uploads(message_uuid, seq)",
            "CREATE INDEX message_files_by_file ON message_files(file_uuid)");

    /**
     * Version 3: moderation. {@code bans} holds who may not join or be invited back. Every chat but a DM gets an owner
     * (role 2, docs/protocol.md#roles): its creator when still a member, else its earliest admin, else its earliest
     * member; the change is logged as a MEMBER_ROLES_CHANGED so that clients pick it up in their next update.
     */
    private static final List<String> V3 = List.of(
            """
            CREATE TABLE bans(chat_uuid TEXT NOT NULL REFERENCES chats(uuid), user_uuid TEXT NOT NULL,
              banned_by TEXT NOT NULL, banned_at TEXT NOT NULL, PRIMARY KEY(chat_uuid, user_uuid))""",
            """
            CREATE TEMP TABLE v3_owners AS SELECT c.uuid AS chat_uuid, COALESCE(
              (SELECT m.user_uuid FROM members m WHERE m.chat_uuid = c.uuid AND m.user_uuid = c.created_by),
              (SELECT m.user_uuid FROM members m WHERE m.chat_uuid = c.uuid
                 ORDER BY m.role_ids LIKE '%1%' DESC, m.joined_at, m.user_uuid LIMIT 1)) AS user_uuid
              FROM chats c WHERE c.type <> 'DM'""",
            "DELETE FROM v3_owners WHERE user_uuid IS NULL",
            """
            UPDATE members SET role_ids = '[0,1,2]' WHERE EXISTS (SELECT 1 FROM v3_owners o
              WHERE o.chat_uuid = members.chat_uuid AND o.user_uuid = members.user_uuid)""",
            "UPDATE chats SET event_seq = event_seq + 1 WHERE uuid IN (SELECT chat_uuid FROM v3_owners)",
            """
            INSERT INTO chat_events(chat_uuid, id, type, user_uuid, created_at, payload)
              SELECT o.chat_uuid, c.event_seq, 'MEMBER_ROLES_CHANGED', o.user_uuid,
                strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), json_object('userUUID', o.user_uuid, 'roleIDs', json('[0,1,2]'))
              FROM v3_owners o JOIN chats c ON c.uuid = o.chat_uuid""",
            "DROP TABLE v3_owners");

    /**
     * Version 4: API keys (docs/protocol.md#api-keys). Only a SHA-256 of each key is kept ({@code secret_hash}, the
     * lookup column), with its first characters ({@code prefix}) so that a person can tell their keys apart; a revoked
     * key's row is deleted.
     */
    private static final List<String> V4 = List.of(
            """
            CREATE TABLE api_keys(id TEXT PRIMARY KEY, user_uuid TEXT NOT NULL REFERENCES users(uuid),
              name TEXT NOT NULL, permissions TEXT NOT NULL, secret_hash TEXT NOT NULL UNIQUE, prefix TEXT NOT NULL,
              active INTEGER NOT NULL DEFAULT 1, created_at TEXT NOT NULL, expires_at TEXT, last_used_at TEXT)""",
            "CREATE INDEX api_keys_by_user ON api_keys(user_uuid)");

    private static final List<List<String>> MIGRATIONS = List.of(V1, V2, V3, V4);

    static void migrate(Connection c) throws SQLException {
        int version;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > MIGRATIONS.size()) {
            throw new SQLException("database schema version " + version + " is newer than this server ("
                    + MIGRATIONS.size() + ")");
        }
        for (int v = version; v < MIGRATIONS.size(); v++) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                for (String ddl : MIGRATIONS.get(v)) {
                    s.execute(ddl);
                }
                s.execute("PRAGMA user_version=" + (v + 1));
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }
}
