package dev.novyse.export;

import dev.novyse.store.Columns;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static dev.novyse.export.JsonBytes.NULL;

/**
 * Encodes the messages of one chat at a time as JSON Lines into a {@link JsonlBuffer}, on one connection, re-running
 * the same four prepared statements per chat: the merge join of {@link MessageExporter} (the message rows and the
 * side tables in the same key order, advanced in lockstep), with every value written as bytes.
 */
final class JsonlChatWriter {
    /** A chat to export: its uuid as stored (UTF-8 bytes) and the JSON of its uuid and name. */
    record Chat(byte[] uuid, byte[] uuidJson, byte[] nameJson) {
    }

    private static final byte[] F_CHAT = JsonBytes.ascii("{\"chat\":");
    private static final byte[] F_CHAT_NAME = JsonBytes.ascii(",\"chatName\":");
    private static final byte[] F_SUB = JsonBytes.ascii(",\"sub\":");
    private static final byte[] F_ID = JsonBytes.ascii(",\"id\":");
    private static final byte[] F_SENDER = JsonBytes.ascii(",\"sender\":");
    private static final byte[] F_SENDER_NAME = JsonBytes.ascii(",\"senderName\":");
    private static final byte[] F_CREATED = JsonBytes.ascii(",\"createdAt\":");
    private static final byte[] F_CONTENT = JsonBytes.ascii(",\"content\":");
    private static final byte[] F_EDITED = JsonBytes.ascii(",\"edited\":");
    private static final byte[] F_DELETED = JsonBytes.ascii(",\"deleted\":");
    private static final byte[] F_REPLY_NULL = JsonBytes.ascii(",\"replyTo\":null");
    private static final byte[] F_REPLY = JsonBytes.ascii(",\"replyTo\":{\"chat\":");
    private static final byte[] F_REACTIONS = JsonBytes.ascii(",\"reactions\":");
    private static final byte[] F_FILES = JsonBytes.ascii(",\"files\":");
    private static final byte[] F_REACTION = JsonBytes.ascii("{\"reaction\":");
    private static final byte[] F_USER = JsonBytes.ascii(",\"userUUID\":");
    private static final byte[] TRUE = JsonBytes.ascii("true");
    private static final byte[] FALSE = JsonBytes.ascii("false");
    private static final byte[] EMPTY = JsonBytes.ascii("[]");

    private final Map<String, byte[]> userNames;
    private final String since;
    private final JsonlBuffer out;
    private final PreparedStatement messages;
    private final Side reactions;
    private final Side files;
    private final Side replies;
    private final List<FileName> fileRows = new ArrayList<>();
    private byte[] lastSender;
    private byte[] lastSenderJson;
    private byte[] lastSenderName;

    JsonlChatWriter(Connection conn, Map<String, byte[]> userNames, String since, JsonlBuffer out)
            throws SQLException {
        this.userNames = userNames;
        this.since = since;
        this.out = out;
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            messages = conn.prepareStatement(ExportQueries.messages(true, since != null));
            opened.add(messages);
            reactions = new Side(conn, ExportQueries.reactions(true));
            opened.add(reactions);
            files = new Side(conn, ExportQueries.files(true));
            opened.add(files);
            replies = new Side(conn, ExportQueries.replies(true));
        } catch (SQLException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    void close() throws SQLException {
        try (PreparedStatement m = messages; Side a = reactions; Side b = files; Side c = replies) {
            // closes all four, the first failure reported
        }
    }

    /** Writes every message of {@code chat}, each followed by a newline; returns how many. */
    long write(Chat chat) throws SQLException, IOException {
        messages.setBytes(1, chat.uuid());
        if (since != null) messages.setString(2, since);
        reactions.open(chat.uuid());
        files.open(chat.uuid());
        replies.open(chat.uuid());
        long n = 0;
        try (ResultSet rs = messages.executeQuery()) {
            while (rs.next()) {
                int sub = rs.getInt(2);
                long id = rs.getLong(3);
                byte[] sender = rs.getBytes(4);
                out.raw(F_CHAT);
                out.raw(chat.uuidJson());
                out.raw(F_CHAT_NAME);
                out.raw(chat.nameJson());
                out.raw(F_SUB);
                out.num(sub);
                out.raw(F_ID);
                out.num(id);
                out.raw(F_SENDER);
                if (sender == null) {
                    out.raw(NULL);
                    out.raw(F_SENDER_NAME);
                    out.raw(NULL);
                } else {
                    if (!Arrays.equals(sender, lastSender)) senderChanged(sender, rs);
                    out.raw(lastSenderJson);
                    out.raw(F_SENDER_NAME);
                    out.raw(lastSenderName);
                }
                out.raw(F_CREATED);
                out.str(rs.getBytes(5), rs, 5);
                out.raw(F_CONTENT);
                out.str(rs.getBytes(6), rs, 6);
                out.raw(F_EDITED);
                out.raw(rs.getInt(7) == 1 ? TRUE : FALSE);
                out.raw(F_DELETED);
                out.raw(rs.getInt(8) == 1 ? TRUE : FALSE);
                reply(sub, id);
                reactions(sub, id);
                files(sub, id);
                out.raw((byte) '}');
                out.raw((byte) '\n');
                n++;
            }
        } finally {
            reactions.end();
            files.end();
            replies.end();
        }
        return n;
    }

    private void senderChanged(byte[] sender, ResultSet rs) throws SQLException {
        String uuid = new String(sender, StandardCharsets.UTF_8);
        byte[] name = userNames.get(uuid);
        lastSender = sender;
        lastSenderName = name == null ? NULL : name;
        lastSenderJson = JsonBytes.wellFormed(sender) ? JsonBytes.quoteBytes(sender)
                : JsonBytes.quote(rs.getString(4));
    }

    private void reply(int sub, long id) throws SQLException, IOException {
        if (!replies.seek(sub, id)) {
            out.raw(F_REPLY_NULL);
            return;
        }
        ResultSet r = replies.rs;
        Long replyId = Columns.longOrNull(r, 6);
        if (replyId == null) {
            out.raw(F_REPLY_NULL);
        } else {
            byte[] replyChat = r.getBytes(4);
            Integer replySub = Columns.intOrNull(r, 5);
            out.raw(F_REPLY);
            out.str(replyChat, r, 4);
            out.raw(F_SUB);
            out.num(replySub == null ? 0 : replySub);
            out.raw(F_ID);
            out.num(replyId);
            out.raw((byte) '}');
        }
        while (replies.nextSame(sub, id)) {
            // only position 0 is selected; nothing else to read
        }
    }

    private void reactions(int sub, long id) throws SQLException, IOException {
        out.raw(F_REACTIONS);
        if (!reactions.seek(sub, id)) {
            out.raw(EMPTY);
            return;
        }
        ResultSet r = reactions.rs;
        out.raw((byte) '[');
        boolean first = true;
        do {
            if (!first) out.raw((byte) ',');
            first = false;
            out.raw(F_REACTION);
            out.str(r.getBytes(4), r, 4);
            out.raw(F_USER);
            out.str(r.getBytes(5), r, 5);
            out.raw((byte) '}');
        } while (reactions.nextSame(sub, id));
        out.raw((byte) ']');
    }

    private void files(int sub, long id) throws SQLException, IOException {
        out.raw(F_FILES);
        if (!files.seek(sub, id)) {
            out.raw(EMPTY);
            return;
        }
        ResultSet r = files.rs;
        fileRows.clear();
        do {
            String name = r.getString(4);
            fileRows.add(new FileName(r.getInt(5), name == null ? null : name.getBytes(StandardCharsets.UTF_8)));
        } while (files.nextSame(sub, id));
        fileRows.sort(java.util.Comparator.comparingInt(FileName::position));
        out.raw((byte) '[');
        boolean first = true;
        for (FileName f : fileRows) {
            if (!first) out.raw((byte) ',');
            first = false;
            out.str(f.name(), null, 0);
        }
        out.raw((byte) ']');
    }

    /** A file of a message: its place among the message's files and its name's UTF-8 bytes (null if unknown). */
    private record FileName(int position, byte[] name) {
    }

    /** A child-table cursor over one chat, ordered by (subID, messageID); its key is read once per row. */
    private static final class Side implements AutoCloseable {
        private final PreparedStatement ps;
        ResultSet rs;
        private boolean valid;
        private int kSub;
        private long kId;

        Side(Connection conn, String sql) throws SQLException {
            ps = conn.prepareStatement(sql);
        }

        void open(byte[] chatUUID) throws SQLException {
            ps.setBytes(1, chatUUID);
            rs = ps.executeQuery();
            advance();
        }

        void end() throws SQLException {
            if (rs != null) {
                rs.close();
                rs = null;
            }
            valid = false;
        }

        private void advance() throws SQLException {
            valid = rs.next();
            if (valid) {
                kSub = rs.getInt(2);
                kId = rs.getLong(3);
            }
        }

        private int cmp(int sub, long id) {
            int c = Integer.compare(kSub, sub);
            return c != 0 ? c : Long.compare(kId, id);
        }

        /** Skips rows before the key; true when positioned on a row of the key. */
        boolean seek(int sub, long id) throws SQLException {
            while (valid) {
                int c = cmp(sub, id);
                if (c == 0) return true;
                if (c > 0) return false;
                advance();
            }
            return false;
        }

        /** Advances; true while still on the same key. */
        boolean nextSame(int sub, long id) throws SQLException {
            advance();
            return valid && cmp(sub, id) == 0;
        }

        @Override
        public void close() throws SQLException {
            try {
                end();
            } finally {
                ps.close();
            }
        }
    }
}
