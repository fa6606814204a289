package dev.novyse.export;

import dev.novyse.export.JsonlChatWriter.Chat;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.ReadSnapshots;
import dev.novyse.store.StoreException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.novyse.export.JsonBytes.NULL;

/**
 * The JSON Lines fast path of {@code novyse export}: the same merge join as {@link MessageExporter}, but TEXT
 * columns are read as their UTF-8 bytes and escaped straight into one output buffer, with no String, no row object
 * and no JSON generator per row. The output is byte-identical to Jackson with the project's settings writing
 * {@link MessageExporter}'s rows ({@link JsonBytes} has the escaping rules). A value whose bytes are not well-formed
 * UTF-8 takes the String path, as the generic exporter would.
 *
 * <p>The export walks chat by chat (the chats found in the message table itself, in key order), so the chat's uuid
 * and name are quoted once per chat, not read and escaped per row ({@link JsonlChatWriter} encodes a chat into a
 * {@link JsonlBuffer}). With more than one chat and more than one core, chats are exported by several reader
 * connections at once and written in order ({@link JsonlChatLanes}): most of an export is SQLite stepping and one
 * native call per column, which a single thread cannot make faster. All readers see one snapshot
 * ({@link ReadSnapshots#share}): they begin reading while the store's connection holds the write lock, so no commit
 * can land between them; the lock is released before the first row is read.
 */
public final class JsonlExporter {
    private JsonlExporter() {}

    /** Reader connections an export uses: one per core, at most four (SQLite stepping is what they share out). */
    static int readers() {
        return Math.min(4, Runtime.getRuntime().availableProcessors());
    }

    /**
     * Writes the messages of {@code db} ({@code chatUUID} and {@code since}, a created_at lower bound, are optional)
     * as JSON Lines to {@code out} from one snapshot, sharing chats out over up to {@link #readers()} reader
     * connections. Flushes {@code out}; returns the row count.
     */
    public static long export(LocalDatabase db, String chatUUID, String since, OutputStream out) throws IOException {
        return export(db, chatUUID, since, out, readers());
    }

    static long export(LocalDatabase db, String chatUUID, String since, OutputStream out, int readers)
            throws IOException {
        return db.readSnapshots(s -> export(s, readers, chatUUID, since, out));
    }

    /**
     * Writes the export to {@code os} and flushes it; returns the row count. {@code workers} caps the reader threads
     * (1: everything on the calling thread and the store's connection).
     */
    static long export(ReadSnapshots snapshots, int workers, String chatUUID, String since, OutputStream os)
            throws IOException {
        try {
            // The write lock is taken only when there is more than one chat to share out (and only until every
            // reader has its snapshot); a single chat is read on the store's connection without it.
            if (workers > 1 && chatUUID == null && snapshots.read(JsonlExporter::chatCount) > 1) {
                // The chats may have changed since they were counted: at least one reader, even for none.
                ReadSnapshots.Shared<Plan> shared = snapshots.share(JsonlExporter::plan,
                        plan -> Math.max(1, Math.min(workers, plan.chats().size())));
                if (shared != null) {
                    try (shared) {
                        Plan plan = shared.before();
                        return JsonlChatLanes.write(shared.readers(), plan.userNames(), plan.chats(), since, os);
                    }
                }
            }
            return snapshots.read(conn -> serial(conn, chatUUID, since, os));
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
    }

    /** What is read before the readers open, in their snapshot: the users' names and the chats to share out. */
    private record Plan(Map<String, byte[]> userNames, List<Chat> chats) {
    }

    private static Plan plan(Connection conn) throws SQLException {
        return new Plan(names(conn, ExportQueries.USER_NAMES), chats(conn, null));
    }

    /** The whole export on one connection, inside its read transaction. */
    private static long serial(Connection conn, String chatUUID, String since, OutputStream os)
            throws SQLException, IOException {
        Map<String, byte[]> userNames = names(conn, ExportQueries.USER_NAMES);
        List<Chat> chats = chats(conn, chatUUID);
        JsonlBuffer out = new JsonlBuffer(new JsonlBuffer.StreamDrain(os));
        JsonlChatWriter writer = new JsonlChatWriter(conn, userNames, since, out);
        long n = 0;
        try {
            for (Chat chat : chats) n += writer.write(chat);
        } finally {
            writer.close();
        }
        out.flush();
        return n;
    }

    private static long chatCount(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM chat")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /**
     * The chats that have messages, in key order, named from the chat table. They are found in the message table
     * itself, one index seek per chat, so that a message whose chat row is missing (the schema's foreign key
     * forbids it, but a hand edit with sqlite3 does not) is exported as the generic writer exports it.
     */
    private static List<Chat> chats(Connection conn, String chatUUID) throws SQLException {
        Map<String, byte[]> names = names(conn, ExportQueries.CHAT_NAMES);
        List<byte[]> uuids = new ArrayList<>();
        if (chatUUID != null) {
            uuids.add(chatUUID.getBytes(StandardCharsets.UTF_8));
        } else {
            try (PreparedStatement first = conn.prepareStatement(ExportQueries.FIRST_CHAT);
                 PreparedStatement next = conn.prepareStatement(ExportQueries.NEXT_CHAT)) {
                for (byte[] u = firstValue(first); u != null; u = firstValue(next)) {
                    uuids.add(u);
                    next.setBytes(1, u);
                }
            }
        }
        List<Chat> out = new ArrayList<>(uuids.size());
        for (byte[] u : uuids) {
            // The generic writer reads the uuid as a String: ill-formed bytes become U+FFFD there and here.
            String s = new String(u, StandardCharsets.UTF_8);
            byte[] name = names.get(s);
            out.add(new Chat(u, JsonBytes.wellFormed(u) ? JsonBytes.quoteBytes(u) : JsonBytes.quote(s),
                    name == null ? NULL : name));
        }
        return out;
    }

    private static byte[] firstValue(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getBytes(1) : null;
        }
    }

    /** uuid -> the JSON value of the name ({@code "..."} or {@code null}). */
    private static Map<String, byte[]> names(Connection conn, String sql) throws SQLException {
        Map<String, byte[]> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(2);
                out.put(rs.getString(1), name == null ? NULL : JsonBytes.quote(name));
            }
        }
        return out;
    }
}
