package dev.novyse.server;

import dev.novyse.server.db.Dialect;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * The server's tables: materialised state plus append-only event logs, one schema history for both engines. Each
 * migration commits together with its version bump: SQLite keeps the version in {@code user_version}, PostgreSQL in
 * {@code schema_version}, where an advisory lock lets one of several processes starting at once migrate while the
 * others wait. Table definitions are written in SQLite's words and translated ({@link Dialect#ddl}); statements that
 * move data written by versions before PostgreSQL was supported ({@link Migration#sqliteOnly}) run on SQLite only, as a
 * PostgreSQL database never held such data.
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
    private static final int V3_DDL = 1; // the bans table; the rest moves data of older versions

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

    /**
     * Version 5: a message's files keep their order in a column of their own ({@code seq}) rather than in SQLite's
     * rowid, which PostgreSQL has not.
     */
    private static final List<String> V5 = List.of(
            "ALTER TABLE message_files ADD COLUMN seq INTEGER NOT NULL DEFAULT 0");
    private static final List<String> V5_DATA = List.of("UPDATE message_files SET seq = rowid");

    /**
     * Version 6: live events across server processes ({@link LiveFrames}; used on PostgreSQL only, where several
     * processes share the database): a counter row per scope (a chat or a user) and the frames numbered by it.
     */
    private static final List<String> V6 = List.of(
            "CREATE TABLE live_scopes(scope TEXT PRIMARY KEY, seq INTEGER NOT NULL)",
            """
            CREATE TABLE live_frames(scope TEXT NOT NULL, seq INTEGER NOT NULL, origin TEXT NOT NULL,
              recipients TEXT NOT NULL, event TEXT NOT NULL, payload TEXT NOT NULL, created_at TEXT NOT NULL,
              PRIMARY KEY(scope, seq))""",
            "CREATE INDEX live_frames_by_time ON live_frames(created_at)");

    /**
     * Version 7: who is connected to which server process, and which processes are alive ({@link ProcessPresence};
     * used on PostgreSQL only): a user goes offline when their last connection on any process closes.
     */
    private static final List<String> V7 = List.of(
            "CREATE TABLE live_processes(origin TEXT PRIMARY KEY, seen_at INTEGER NOT NULL)",
            """
            CREATE TABLE live_presence(origin TEXT NOT NULL, user_uuid TEXT NOT NULL,
              PRIMARY KEY(origin, user_uuid))""",
            "CREATE INDEX live_presence_by_user ON live_presence(user_uuid)");

    /** One version's statements: those for both engines, then those for SQLite only. */
    record Migration(List<String> both, List<String> sqliteOnly) {}

    private static final List<Migration> MIGRATIONS = List.of(
            new Migration(V1, List.of()),
            new Migration(V2, List.of()),
            new Migration(V3.subList(0, V3_DDL), V3.subList(V3_DDL, V3.size())),
            new Migration(V4, List.of()),
            new Migration(V5, V5_DATA),
            new Migration(V6, List.of()),
            new Migration(V7, List.of()));

    /** The version this server writes. */
    static final int VERSION = MIGRATIONS.size();

    /** Brings the database to {@link #VERSION}; {@code c} has auto-commit off. Refuses a newer database. */
    static void migrate(Connection c, Dialect dialect) throws SQLException {
        for (int v = version(c, dialect); ; v = version(c, dialect)) {
            if (v > VERSION) {
                c.rollback();
                throw new SQLException("the database has schema version " + v + ", newer than this server's ("
                        + VERSION + "): run the newer server, or restore a backup", "NVS01");
            }
            if (v == VERSION) {
                c.commit(); // ends the read (and on PostgreSQL releases the lock)
                return;
            }
            Migration m = MIGRATIONS.get(v);
            try (Statement s = c.createStatement()) {
                for (String ddl : m.both()) s.execute(dialect.ddl(ddl));
                if (dialect == Dialect.SQLITE) {
                    for (String data : m.sqliteOnly()) s.execute(data);
                    s.execute("PRAGMA user_version=" + (v + 1));
                } else {
                    s.execute("UPDATE schema_version SET version=" + (v + 1));
                }
                c.commit();
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * The database's version, read in the transaction that migrates it. On PostgreSQL the transaction first takes an
     * advisory lock, held until it ends: processes starting together migrate one after the other, and each sees the
     * version the one before it left.
     */
    private static int version(Connection c, Dialect dialect) throws SQLException {
        try (Statement s = c.createStatement()) {
            if (dialect == Dialect.SQLITE) {
                try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                    return rs.next() ? rs.getInt(1) : 0;
                }
            }
            s.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
            s.execute("CREATE TABLE IF NOT EXISTS schema_version(version BIGINT NOT NULL)");
            try (ResultSet rs = s.executeQuery("SELECT version FROM schema_version")) {
                if (rs.next()) return rs.getInt(1);
            }
            s.execute("INSERT INTO schema_version(version) VALUES(0)");
            return 0;
        }
    }

    /** The advisory lock key of migrations ("novyse" in ASCII). */
    private static final long MIGRATION_LOCK = 0x6e6f767973L;
}
