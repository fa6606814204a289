package dev.novyse.export;

import dev.novyse.store.Columns;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreException;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Streams messages for export as a merge join: one forward-only cursor over {@code message} in primary-key order
 * and one cursor per child table (reactions, files, replies) in the same order, advanced in lockstep. Each table is
 * read once, sequentially; no per-row sub-query. (Measured on 1M messages: the joined/correlated-subquery form
 * took about 3x a plain {@code sqlite3 -json} scan; this form stays close to the scan.) Chat and user names come
 * from two small maps. Nothing but the current row is held in memory. The writers of {@link ExportFormat} take the
 * rows; JSON Lines has its own byte-level path, {@link JsonlExporter}, which must write what Jackson would.
 */
public final class MessageExporter {
    private MessageExporter() {}

    /**
     * Streams the messages of {@code db} in (chatUUID, subID, id) order to {@code sink}, from one read snapshot.
     * {@code chatUUID} and {@code since} (created_at lower bound, ISO-8601) are optional. Returns the row count.
     * Holds the store's lock for the whole export.
     */
    public static long export(LocalDatabase db, String chatUUID, String since, ExportSink sink) throws IOException {
        return db.readSnapshots(s -> s.read(conn -> export(conn, chatUUID, since, sink)));
    }

    private static long export(Connection conn, String chatUUID, String since, ExportSink sink) throws IOException {
        try {
            Map<String, String> chatNames = names(conn, ExportQueries.CHAT_NAMES);
            Map<String, String> chatTitles = names(conn, ExportQueries.CHAT_TITLES);
            Map<String, String> userNames = names(conn, ExportQueries.USER_NAMES);
            Map<String, String> subNames = names(conn, ExportQueries.SUB_NAMES);
            try (PreparedStatement ms = conn.prepareStatement(ExportQueries.messages(chatUUID != null, since != null));
                 Side reactions = new Side(conn, ExportQueries.reactions(chatUUID != null), chatUUID);
                 Side files = new Side(conn, ExportQueries.files(chatUUID != null), chatUUID);
                 Side replies = new Side(conn, ExportQueries.replies(chatUUID != null), chatUUID)) {
                int i = 1;
                if (chatUUID != null) ms.setString(i++, chatUUID);
                if (since != null) ms.setString(i, since);
                long n = 0;
                JsonStringEncoder enc = JsonStringEncoder.getInstance();
                try (ResultSet rs = ms.executeQuery()) {
                    StringBuilder sb = new StringBuilder();
                    List<Object[]> fileRows = new ArrayList<>();
                    while (rs.next()) {
                        String chat = rs.getString(1);
                        int sub = rs.getInt(2);
                        long id = rs.getLong(3);
                        String sender = rs.getString(4);

                        String reactionsJson = null;
                        if (reactions.seek(chat, sub, id)) {
                            sb.setLength(0);
                            sb.append('[');
                            do {
                                if (sb.length() > 1) sb.append(',');
                                sb.append("{\"reaction\":\"").append(enc.quoteAsString(reactions.rs.getString(4)))
                                        .append("\",\"userUUID\":\"").append(enc.quoteAsString(reactions.rs.getString(5)))
                                        .append("\"}");
                            } while (reactions.nextSame(chat, sub, id));
                            reactionsJson = sb.append(']').toString();
                        }

                        String filesJson = null;
                        if (files.seek(chat, sub, id)) {
                            fileRows.clear();
                            do {
                                fileRows.add(new Object[]{files.rs.getInt(5), files.rs.getString(4)});
                            } while (files.nextSame(chat, sub, id));
                            fileRows.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
                            sb.setLength(0);
                            sb.append('[');
                            for (Object[] f : fileRows) {
                                if (sb.length() > 1) sb.append(',');
                                if (f[1] == null) sb.append("null");
                                else sb.append('"').append(enc.quoteAsString((String) f[1])).append('"');
                            }
                            filesJson = sb.append(']').toString();
                        }

                        String replyChat = null;
                        Integer replySub = null;
                        Long replyId = null;
                        if (replies.seek(chat, sub, id)) {
                            replyChat = replies.rs.getString(4);
                            replySub = Columns.intOrNull(replies.rs, 5);
                            replyId = Columns.longOrNull(replies.rs, 6);
                            while (replies.nextSame(chat, sub, id)) {
                                // only position 0 is selected; nothing else to read
                            }
                        }

                        sink.accept(new ExportRow(chat, chatNames.get(chat), chatTitles.get(chat), sub,
                                sub == 0 ? null : subNames.get(chat + " " + sub), id, sender,
                                sender == null ? null : userNames.get(sender), rs.getString(5), rs.getString(6),
                                rs.getInt(7) == 1, rs.getInt(8) == 1, replyChat, replySub, replyId,
                                reactionsJson, filesJson));
                        n++;
                    }
                }
                return n;
            }
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
    }

    private static Map<String, String> names(Connection conn, String sql) throws SQLException {
        Map<String, String> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), rs.getString(2));
        }
        return out;
    }

    /**
     * Compares like SQLite's BINARY collation (memcmp of UTF-8), which is code-point order; String.compareTo
     * (UTF-16 units) differs for characters beyond the BMP.
     */
    static int compareKey(String a, String b) {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i), cb = b.codePointAt(j);
            if (ca != cb) return Integer.compare(ca, cb);
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    }

    /** A child-table cursor ordered by (chatUUID, subID, messageID), positioned lazily. */
    private static final class Side implements AutoCloseable {
        final PreparedStatement ps;
        final ResultSet rs;
        boolean valid;

        Side(Connection conn, String sql, String chatUUID) throws SQLException {
            ps = conn.prepareStatement(sql);
            if (chatUUID != null) ps.setString(1, chatUUID);
            rs = ps.executeQuery();
            valid = rs.next();
        }

        private int cmp(String chat, int sub, long id) throws SQLException {
            int c = compareKey(rs.getString(1), chat);
            if (c != 0) return c;
            c = Integer.compare(rs.getInt(2), sub);
            if (c != 0) return c;
            return Long.compare(rs.getLong(3), id);
        }

        /** Skips rows before the key; true when positioned on a row of the key. */
        boolean seek(String chat, int sub, long id) throws SQLException {
            while (valid) {
                int c = cmp(chat, sub, id);
                if (c == 0) return true;
                if (c > 0) return false;
                valid = rs.next();
            }
            return false;
        }

        /** Advances; true while still on the same key. */
        boolean nextSame(String chat, int sub, long id) throws SQLException {
            valid = rs.next();
            return valid && cmp(chat, sub, id) == 0;
        }

        @Override
        public void close() throws SQLException {
            try {
                rs.close();
            } finally {
                ps.close();
            }
        }
    }
}
