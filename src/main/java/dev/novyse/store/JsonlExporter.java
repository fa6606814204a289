package dev.novyse.store;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The JSON Lines fast path of {@code novyse export}: the same merge join as {@link MessageExporter}, but TEXT
 * columns are read as their UTF-8 bytes and escaped byte by byte straight into one output buffer, with no
 * String, no row object and no JSON generator per row. The output is byte-identical to
 * {@code JsonLinesWriter} (Jackson with the project's settings): {@code "} {@code \} and control characters are
 * escaped ({@code \b \t \n \f \r}, others backslash-u-00XX upper-case), nothing else; non-ASCII stays UTF-8.
 * A value whose bytes are not well-formed UTF-8 takes the String path, as the generic exporter would.
 */
final class JsonlExporter {
    private JsonlExporter() {}

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** 0: copy; -1: backslash-u-00XX; other: the character after the backslash. */
    private static final int[] ESC = new int[128];

    static {
        for (int i = 0; i < 0x20; i++) ESC[i] = -1;
        ESC['"'] = '"';
        ESC['\\'] = '\\';
        ESC['\b'] = 'b';
        ESC['\t'] = 't';
        ESC['\n'] = 'n';
        ESC['\f'] = 'f';
        ESC['\r'] = 'r';
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static final byte[] F_CHAT = ascii("{\"chat\":");
    private static final byte[] F_CHAT_NAME = ascii(",\"chatName\":");
    private static final byte[] F_SUB = ascii(",\"sub\":");
    private static final byte[] F_ID = ascii(",\"id\":");
    private static final byte[] F_SENDER = ascii(",\"sender\":");
    private static final byte[] F_SENDER_NAME = ascii(",\"senderName\":");
    private static final byte[] F_CREATED = ascii(",\"createdAt\":");
    private static final byte[] F_CONTENT = ascii(",\"content\":");
    private static final byte[] F_EDITED = ascii(",\"edited\":");
    private static final byte[] F_DELETED = ascii(",\"deleted\":");
    private static final byte[] F_REPLY_NULL = ascii(",\"replyTo\":null");
    private static final byte[] F_REPLY = ascii(",\"replyTo\":{\"chat\":");
    private static final byte[] F_REACTIONS = ascii(",\"reactions\":");
    private static final byte[] F_FILES = ascii(",\"files\":");
    private static final byte[] F_REACTION = ascii("{\"reaction\":");
    private static final byte[] F_USER = ascii(",\"userUUID\":");
    private static final byte[] TRUE = ascii("true");
    private static final byte[] FALSE = ascii("false");
    private static final byte[] NULL = ascii("null");
    private static final byte[] EMPTY = ascii("[]");

    static long export(Connection conn, String chatUUID, String since, OutputStream os) throws IOException {
        Out out = new Out(os);
        try {
            Map<String, byte[]> chatNames = names(conn, ExportQueries.CHAT_NAMES);
            Map<String, byte[]> userNames = names(conn, ExportQueries.USER_NAMES);
            try (PreparedStatement ms = conn.prepareStatement(ExportQueries.messages(chatUUID, since));
                 Side reactions = new Side(conn, ExportQueries.reactions(chatUUID), chatUUID);
                 Side files = new Side(conn, ExportQueries.files(chatUUID), chatUUID);
                 Side replies = new Side(conn, ExportQueries.replies(chatUUID), chatUUID)) {
                int i = 1;
                if (chatUUID != null) ms.setString(i++, chatUUID);
                if (since != null) ms.setString(i, since);
                long n = 0;
                byte[] lastChat = null;
                byte[] lastChatName = NULL;
                byte[] lastSender = null;
                byte[] lastSenderName = NULL;
                List<Object[]> fileRows = new ArrayList<>();
                try (ResultSet rs = ms.executeQuery()) {
                    while (rs.next()) {
                        byte[] chat = rs.getBytes(1);
                        int sub = rs.getInt(2);
                        long id = rs.getLong(3);
                        byte[] sender = rs.getBytes(4);
                        if (chat == null) {
                            // Not expected (primary key); keep the generic behaviour for the key compare.
                            chat = rs.getString(1) == null ? new byte[0] : rs.getString(1).getBytes(StandardCharsets.UTF_8);
                        }
                        if (lastChat == null || !Arrays.equals(chat, lastChat)) {
                            byte[] name = chatNames.get(new String(chat, StandardCharsets.UTF_8));
                            lastChatName = name == null ? NULL : name;
                            lastChat = chat;
                        }
                        byte[] senderName;
                        if (sender == null) {
                            senderName = NULL;
                        } else if (lastSender != null && Arrays.equals(sender, lastSender)) {
                            senderName = lastSenderName;
                        } else {
                            byte[] name = userNames.get(new String(sender, StandardCharsets.UTF_8));
                            senderName = name == null ? NULL : name;
                            lastSender = sender;
                            lastSenderName = senderName;
                        }

                        if (n > 0) out.raw((byte) '\n');
                        out.raw(F_CHAT);
                        out.str(lastChat, rs, 1);
                        out.raw(F_CHAT_NAME);
                        out.raw(lastChatName);
                        out.raw(F_SUB);
                        out.num(sub);
                        out.raw(F_ID);
                        out.num(id);
                        out.raw(F_SENDER);
                        out.str(sender, rs, 4);
                        out.raw(F_SENDER_NAME);
                        out.raw(senderName);
                        out.raw(F_CREATED);
                        out.str(rs.getBytes(5), rs, 5);
                        out.raw(F_CONTENT);
                        out.str(rs.getBytes(6), rs, 6);
                        out.raw(F_EDITED);
                        out.raw(rs.getInt(7) == 1 ? TRUE : FALSE);
                        out.raw(F_DELETED);
                        out.raw(rs.getInt(8) == 1 ? TRUE : FALSE);

                        if (replies.seek(chat, sub, id)) {
                            byte[] replyChat = replies.rs.getBytes(4);
                            Integer replySub = ViewQueries.intOrNull(replies.rs, 5);
                            Long replyId = ViewQueries.longOrNull(replies.rs, 6);
                            if (replyId == null) {
                                out.raw(F_REPLY_NULL);
                            } else {
                                out.raw(F_REPLY);
                                out.str(replyChat, replies.rs, 4);
                                out.raw(F_SUB);
                                out.num(replySub == null ? 0 : replySub);
                                out.raw(F_ID);
                                out.num(replyId);
                                out.raw((byte) '}');
                            }
                            while (replies.nextSame(chat, sub, id)) {
                                // only position 0 is selected; nothing else to read
                            }
                        } else {
                            out.raw(F_REPLY_NULL);
                        }

                        out.raw(F_REACTIONS);
                        if (reactions.seek(chat, sub, id)) {
                            out.raw((byte) '[');
                            boolean first = true;
                            do {
                                if (!first) out.raw((byte) ',');
                                first = false;
                                out.raw(F_REACTION);
                                out.str(reactions.rs.getBytes(4), reactions.rs, 4);
                                out.raw(F_USER);
                                out.str(reactions.rs.getBytes(5), reactions.rs, 5);
                                out.raw((byte) '}');
                            } while (reactions.nextSame(chat, sub, id));
                            out.raw((byte) ']');
                        } else {
                            out.raw(EMPTY);
                        }

                        out.raw(F_FILES);
                        if (files.seek(chat, sub, id)) {
                            fileRows.clear();
                            do {
                                String name = files.rs.getString(4);
                                fileRows.add(new Object[]{files.rs.getInt(5),
                                        name == null ? null : name.getBytes(StandardCharsets.UTF_8)});
                            } while (files.nextSame(chat, sub, id));
                            fileRows.sort((a, b) -> Integer.compare((Integer) a[0], (Integer) b[0]));
                            out.raw((byte) '[');
                            boolean first = true;
                            for (Object[] f : fileRows) {
                                if (!first) out.raw((byte) ',');
                                first = false;
                                out.str((byte[]) f[1], null, 0);
                            }
                            out.raw((byte) ']');
                        } else {
                            out.raw(EMPTY);
                        }
                        out.raw((byte) '}');
                        n++;
                    }
                }
                // JsonLinesWriter: rows separated by "\n", and one "\n" at close (also for no rows).
                out.raw((byte) '\n');
                out.flush();
                return n;
            }
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
    }

    /** uuid -> the JSON value of the name ({@code "..."} or {@code null}). */
    private static Map<String, byte[]> names(Connection conn, String sql) throws SQLException {
        Map<String, byte[]> out = new HashMap<>();
        try (PreparedStatement ps = conn.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                String name = rs.getString(2);
                out.put(rs.getString(1), name == null ? NULL : quote(name));
            }
        }
        return out;
    }

    /** A quoted, escaped JSON string of {@code s} as UTF-8. */
    static byte[] quote(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] buf = new byte[b.length * 6 + 2];
        int p = 0;
        buf[p++] = '"';
        for (byte x : b) {
            int c = x & 0xFF;
            if (c >= 128 || ESC[c] == 0) {
                buf[p++] = x;
            } else if (ESC[c] > 0) {
                buf[p++] = '\\';
                buf[p++] = (byte) ESC[c];
            } else {
                buf[p++] = '\\';
                buf[p++] = 'u';
                buf[p++] = '0';
                buf[p++] = '0';
                buf[p++] = HEX[c >> 4];
                buf[p++] = HEX[c & 0xF];
            }
        }
        buf[p++] = '"';
        return Arrays.copyOf(buf, p);
    }

    /** Length of the well-formed UTF-8 sequence starting at {@code i} (lead byte >= 0x80), or 0 if ill-formed. */
    private static int utf8Len(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c < 0xC2) return 0;
        if (c < 0xE0) {
            return i + 1 < end && (b[i + 1] & 0xC0) == 0x80 ? 2 : 0;
        }
        if (c < 0xF0) {
            if (i + 2 >= end) return 0;
            int c1 = b[i + 1] & 0xFF;
            if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80) return 0;
            if (c == 0xE0 && c1 < 0xA0) return 0; // overlong
            if (c == 0xED && c1 >= 0xA0) return 0; // surrogate
            return 3;
        }
        if (c < 0xF5) {
            if (i + 3 >= end) return 0;
            int c1 = b[i + 1] & 0xFF;
            if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80 || (b[i + 3] & 0xC0) != 0x80) return 0;
            if (c == 0xF0 && c1 < 0x90) return 0; // overlong
            if (c == 0xF4 && c1 >= 0x90) return 0; // > U+10FFFF
            return 4;
        }
        return 0;
    }

    /** The output buffer, written to the stream when full. */
    private static final class Out {
        private final OutputStream os;
        private byte[] buf = new byte[1 << 17];
        private int pos;

        Out(OutputStream os) {
            this.os = os;
        }

        void flush() throws IOException {
            if (pos > 0) {
                os.write(buf, 0, pos);
                pos = 0;
            }
            os.flush();
        }

        private void ensure(int n) throws IOException {
            if (pos + n <= buf.length) return;
            if (pos > 0) {
                os.write(buf, 0, pos);
                pos = 0;
            }
            if (n > buf.length) buf = new byte[Math.max(n, buf.length * 2)];
        }

        void raw(byte b) throws IOException {
            if (pos == buf.length) ensure(1);
            buf[pos++] = b;
        }

        void raw(byte[] b) throws IOException {
            ensure(b.length);
            System.arraycopy(b, 0, buf, pos, b.length);
            pos += b.length;
        }

        void num(long v) throws IOException {
            ensure(20);
            if (v >= 0 && v < 10) {
                buf[pos++] = (byte) ('0' + v);
                return;
            }
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, buf, pos, s.length);
            pos += s.length;
        }

        /**
         * Writes {@code b} (a TEXT column's UTF-8 bytes, or null) as a JSON string value. Should the bytes not be
         * well-formed UTF-8, the column is read again as a String ({@code rs}, {@code col}), as the generic
         * exporter reads it.
         */
        void str(byte[] b, ResultSet rs, int col) throws IOException, SQLException {
            if (b == null) {
                raw(NULL);
                return;
            }
            int len = b.length;
            ensure(len * 6 + 2);
            byte[] d = buf;
            int start = pos;
            int p = pos;
            d[p++] = '"';
            int i = 0;
            while (i < len) {
                byte x = b[i];
                if (x >= 0) {
                    int e = ESC[x];
                    if (e == 0) {
                        d[p++] = x;
                    } else if (e > 0) {
                        d[p++] = '\\';
                        d[p++] = (byte) e;
                    } else {
                        d[p++] = '\\';
                        d[p++] = 'u';
                        d[p++] = '0';
                        d[p++] = '0';
                        d[p++] = HEX[x >> 4];
                        d[p++] = HEX[x & 0xF];
                    }
                    i++;
                } else {
                    int l = utf8Len(b, i, len);
                    if (l == 0) {
                        pos = start;
                        String s = rs == null ? new String(b, StandardCharsets.UTF_8) : rs.getString(col);
                        raw(s == null ? NULL : quote(s));
                        return;
                    }
                    for (int k = 0; k < l; k++) d[p++] = b[i + k];
                    i += l;
                }
            }
            d[p++] = '"';
            pos = p;
        }
    }

    /** A child-table cursor ordered by (chatUUID, subID, messageID); its current key is read once per row. */
    private static final class Side implements AutoCloseable {
        final PreparedStatement ps;
        final ResultSet rs;
        boolean valid;
        private byte[] kChat;
        private int kSub;
        private long kId;

        Side(Connection conn, String sql, String chatUUID) throws SQLException {
            ps = conn.prepareStatement(sql);
            if (chatUUID != null) ps.setString(1, chatUUID);
            rs = ps.executeQuery();
            advance();
        }

        private void advance() throws SQLException {
            valid = rs.next();
            if (valid) {
                byte[] c = rs.getBytes(1);
                kChat = c == null ? new byte[0] : c;
                kSub = rs.getInt(2);
                kId = rs.getLong(3);
            }
        }

        /** memcmp order of UTF-8, which is SQLite's BINARY collation. */
        private int cmp(byte[] chat, int sub, long id) {
            int c = Arrays.compareUnsigned(kChat, chat);
            if (c != 0) return c;
            c = Integer.compare(kSub, sub);
            if (c != 0) return c;
            return Long.compare(kId, id);
        }

        /** Skips rows before the key; true when positioned on a row of the key. */
        boolean seek(byte[] chat, int sub, long id) throws SQLException {
            while (valid) {
                int c = cmp(chat, sub, id);
                if (c == 0) return true;
                if (c > 0) return false;
                advance();
            }
            return false;
        }

        /** Advances; true while still on the same key. */
        boolean nextSame(byte[] chat, int sub, long id) throws SQLException {
            advance();
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
