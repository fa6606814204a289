package dev.novyse.store;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The JSON Lines fast path of {@code novyse export}: the same merge join as {@link MessageExporter}, but TEXT
 * columns are read as their UTF-8 bytes and escaped straight into one output buffer, with no String, no row object
 * and no JSON generator per row. The output is byte-identical to {@code JsonLinesWriter} (Jackson with the
 * project's settings): {@code "} {@code \} and control characters are escaped ({@code \b \t \n \f \r}, others
 * backslash-u-00XX upper-case), nothing else; non-ASCII stays UTF-8. A value whose bytes are not well-formed UTF-8
 * takes the String path, as the generic exporter would.
 *
 * <p>The export walks chat by chat (the chats found in the message table itself, in key order), so the chat's uuid
 * and name are quoted once per chat, not read and escaped per row. With more than one
 * chat and more than one core, chats are exported by several reader connections at once and written in order: most
 * of an export is SQLite stepping and one native call per column, which a single thread cannot make faster. All
 * readers see one snapshot: they begin reading while this connection holds the write lock, so no commit can land
 * between them; the lock is released before the first row is read.
 */
final class JsonlExporter {
    private JsonlExporter() {}

    /** Opens another connection to the same database file, for a parallel reader. */
    @FunctionalInterface
    interface Readers {
        Connection open() throws SQLException;
    }

    /** Output chunks handed from a reader thread to the writing thread, and how many a reader may hold ahead. */
    private static final int CHUNK = 1 << 17;
    private static final int CHUNKS_AHEAD = 8;
    /** Values longer than this are escaped in pieces of this size. */
    private static final int BLOCK = 1 << 16;

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** 0: copy; -1: backslash-u-00XX; other: the character after the backslash. */
    private static final int[] ESC = new int[128];
    /** Eight bytes of a byte[] at once, to skip runs of bytes that need no escaping. */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

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

    /**
     * Writes the export to {@code os} and flushes it; returns the row count. {@code conn} must not be inside a
     * transaction. {@code workers} caps the reader threads (1: everything on the calling thread and {@code conn}).
     */
    static long export(Connection conn, Readers readers, int workers, String chatUUID, String since, OutputStream os)
            throws IOException {
        try {
            // The write lock is taken only when there is more than one chat to share out (and only until every
            // reader has its snapshot); a single chat is read on this connection without it.
            if (workers > 1 && chatUUID == null && chatCount(conn) > 1) {
                Shared shared = shareSnapshot(conn, readers, workers);
                if (shared != null) return parallel(shared, since, os);
            }
            return serial(conn, chatUUID, since, os);
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
    }

    private static long serial(Connection conn, String chatUUID, String since, OutputStream os)
            throws SQLException, IOException {
        exec(conn, "BEGIN");
        Throwable failure = null;
        try {
            Map<String, byte[]> userNames = names(conn, ExportQueries.USER_NAMES);
            List<Chat> chats = chats(conn, chatUUID);
            Out out = new Out(new StreamDrain(os));
            ChatWriter writer = new ChatWriter(conn, userNames, since, out);
            long n = 0;
            try {
                for (Chat chat : chats) n += writer.write(chat);
            } finally {
                writer.close();
            }
            if (n == 0) out.raw((byte) '\n');
            out.flush();
            return n;
        } catch (Throwable e) {
            failure = e;
            throw e;
        } finally {
            end(conn, failure);
        }
    }

    /** Ends a read transaction; a failure to do so is added to {@code failure} when there is one, else thrown. */
    private static void end(Connection conn, Throwable failure) throws SQLException {
        try {
            exec(conn, "COMMIT");
        } catch (SQLException e) {
            try {
                exec(conn, "ROLLBACK");
            } catch (SQLException again) {
                e.addSuppressed(again);
            }
            if (failure == null) throw e;
            failure.addSuppressed(e);
        }
    }

    private static long chatCount(Connection conn) throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT count(*) FROM chat")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static void exec(Connection conn, String sql) throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(sql);
        }
    }

    /** A chat to export: its uuid as stored (UTF-8 bytes) and the JSON of its uuid and name. */
    private record Chat(byte[] uuid, byte[] uuidJson, byte[] nameJson) {
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
            out.add(new Chat(u, Out.wellFormed(u) ? quoteBytes(u) : quote(s), name == null ? NULL : name));
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
                out.put(rs.getString(1), name == null ? NULL : quote(name));
            }
        }
        return out;
    }

    // ---- parallel readers ------------------------------------------------------------------------------------

    /** Reader connections inside one snapshot, and what was read from it before they were opened. */
    private record Shared(List<Connection> readers, Map<String, byte[]> userNames, List<Chat> chats) {
    }

    /**
     * Opens readers that all see one snapshot: each takes its snapshot (its first read) while {@code conn} holds
     * the write lock, so no commit can land between them; the lock is released before this returns. Null when
     * that cannot be had (the lock is busy beyond a moment, the file is read-only, a reader fails to open): the
     * caller then reads alone, as it would have before.
     */
    private static Shared shareSnapshot(Connection conn, Readers readers, int workers) throws SQLException {
        if (!beginImmediate(conn)) return null;
        List<Connection> opened = new ArrayList<>();
        Shared shared = null;
        try {
            Map<String, byte[]> userNames = names(conn, ExportQueries.USER_NAMES);
            List<Chat> chats = chats(conn, null);
            // The chats may have changed since they were counted: at least one reader, even for none.
            int w = Math.max(1, Math.min(workers, chats.size()));
            for (int k = 0; k < w; k++) {
                Connection c = readers.open();
                opened.add(c);
                exec(c, "BEGIN");
                chatCount(c); // any first read takes the snapshot, while conn still keeps every writer out
            }
            shared = new Shared(opened, userNames, chats);
        } catch (SQLException e) {
            return null;
        } finally {
            try {
                end(conn, null);
            } finally {
                if (shared == null) closeAll(opened);
            }
        }
        return shared;
    }

    /** BEGIN IMMEDIATE, waiting a moment at most: a sync holding the lock longer is not worth waiting for. */
    private static boolean beginImmediate(Connection conn) throws SQLException {
        long timeout;
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA busy_timeout")) {
            timeout = rs.next() ? rs.getLong(1) : 0;
        }
        exec(conn, "PRAGMA busy_timeout=" + Math.min(timeout, 100));
        try {
            exec(conn, "BEGIN IMMEDIATE");
            return true;
        } catch (SQLException e) {
            return false; // busy, or a read-only file: read alone
        } finally {
            exec(conn, "PRAGMA busy_timeout=" + timeout);
        }
    }

    private static void closeAll(List<Connection> conns) {
        for (Connection c : conns) {
            try {
                c.close(); // ends its read transaction
            } catch (SQLException ignored) {
                // nothing was written through it; closing is all that is left
            }
        }
    }

    /** What a reader thread hands the writing thread, in order: chunks of a chat, then the chat's end (or a failure). */
    private sealed interface LaneItem permits Chunk, ChatEnd, Failure {
    }

    private record Chunk(byte[] bytes, int length) implements LaneItem {
    }

    /**
     * A reader's queue to the writing thread and the way back for written chunk buffers: recycled, a buffer stays
     * one long-lived array instead of megabytes of queued garbage that every young collection would copy.
     */
    private record Lane(BlockingQueue<LaneItem> items, BlockingQueue<byte[]> free) {
        Lane() {
            // Room for every buffer that can be out at once: the queued chunks, the one being written, the one
            // being filled.
            this(new ArrayBlockingQueue<>(CHUNKS_AHEAD), new ArrayBlockingQueue<>(CHUNKS_AHEAD + 2));
        }
    }

    private record ChatEnd(long rows) implements LaneItem {
    }

    private record Failure(Throwable error) implements LaneItem {
    }

    /**
     * Reader {@code k} of {@code w} exports chats k, k+w, k+2w ... into its own bounded queue (its lane); this
     * thread writes the lanes' chunks to {@code os} in chat order. A reader runs at most {@link #CHUNKS_AHEAD}
     * chunks ahead, and the chat being written is always some reader's current one, so no reader waits forever;
     * a reader that ends without a last word (an error in reporting its error) is noticed by its thread's end.
     */
    private static long parallel(Shared shared, String since, OutputStream os) throws SQLException, IOException {
        List<Chat> chats = shared.chats();
        int w = shared.readers().size();
        List<Thread> threads = new ArrayList<>();
        List<Lane> lanes = new ArrayList<>();
        try {
            for (int k = 0; k < w; k++) {
                Lane lane = new Lane();
                lanes.add(lane);
                int first = k;
                Connection c = shared.readers().get(k);
                Thread t = new Thread(() -> read(c, shared.userNames(), chats, since, first, w, lane),
                        "novyse-export-" + k);
                t.setDaemon(true);
                threads.add(t);
            }
            threads.forEach(Thread::start);
            long n = 0;
            for (int i = 0; i < chats.size(); i++) {
                Lane lane = lanes.get(i % w);
                Thread reader = threads.get(i % w);
                while (true) {
                    LaneItem item = lane.items().poll(200, TimeUnit.MILLISECONDS);
                    if (item == null) {
                        if (!reader.isAlive() && lane.items().isEmpty()) {
                            throw new SQLException(reader.getName() + " ended without finishing its chats");
                        }
                    } else if (item instanceof Chunk chunk) {
                        os.write(chunk.bytes(), 0, chunk.length());
                        if (chunk.bytes().length == CHUNK) lane.free().offer(chunk.bytes());
                    } else if (item instanceof ChatEnd end) {
                        n += end.rows();
                        break;
                    } else {
                        Throwable e = ((Failure) item).error();
                        if (e instanceof SQLException s) throw s;
                        if (e instanceof IOException io) throw io;
                        if (e instanceof RuntimeException r) throw r;
                        if (e instanceof Error err) throw err;
                        throw new IllegalStateException(e);
                    }
                }
            }
            if (n == 0) os.write('\n');
            os.flush();
            return n;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("export interrupted");
        } finally {
            stop(threads);
            closeAll(shared.readers());
        }
    }

    /** Interrupts the readers and waits for every one to end, even if this thread is interrupted meanwhile. */
    private static void stop(List<Thread> threads) {
        boolean interrupted = Thread.interrupted();
        threads.forEach(Thread::interrupt);
        for (Thread t : threads) {
            while (true) {
                try {
                    t.join();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** A reader thread's work; its end (normal or not) is the last item it queues. */
    private static void read(Connection c, Map<String, byte[]> userNames, List<Chat> chats, String since,
                             int first, int step, Lane lane) {
        BlockingQueue<LaneItem> q = lane.items();
        Out out = new Out(new QueueDrain(lane));
        try {
            ChatWriter writer = new ChatWriter(c, userNames, since, out);
            try {
                for (int i = first; i < chats.size(); i += step) {
                    long rows = writer.write(chats.get(i));
                    out.handOff();
                    q.put(new ChatEnd(rows));
                }
            } finally {
                writer.close();
            }
        } catch (InterruptedException | InterruptedIOException e) {
            // the writing thread stopped us (its output failed, or another reader's did): nothing to report
        } catch (Throwable e) {
            try {
                q.put(new Failure(e));
            } catch (InterruptedException ignored) {
                // the writing thread is gone already
            }
        }
    }

    // ---- one chat at a time ----------------------------------------------------------------------------------

    /** Exports one chat at a time on one connection, re-running the same four prepared statements per chat. */
    private static final class ChatWriter {
        private final Map<String, byte[]> userNames;
        private final String since;
        private final Out out;
        private final PreparedStatement messages;
        private final Side reactions;
        private final Side files;
        private final Side replies;
        private final List<FileName> fileRows = new ArrayList<>();
        private byte[] lastSender;
        private byte[] lastSenderJson;
        private byte[] lastSenderName;

        ChatWriter(Connection conn, Map<String, byte[]> userNames, String since, Out out) throws SQLException {
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
            lastSenderJson = Out.wellFormed(sender) ? quoteBytes(sender) : quote(rs.getString(4));
        }

        private void reply(int sub, long id) throws SQLException, IOException {
            if (!replies.seek(sub, id)) {
                out.raw(F_REPLY_NULL);
                return;
            }
            ResultSet r = replies.rs;
            Long replyId = ViewQueries.longOrNull(r, 6);
            if (replyId == null) {
                out.raw(F_REPLY_NULL);
            } else {
                byte[] replyChat = r.getBytes(4);
                Integer replySub = ViewQueries.intOrNull(r, 5);
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

    // ---- bytes -----------------------------------------------------------------------------------------------

    /** A quoted, escaped JSON string of {@code s} as UTF-8. */
    private static byte[] quote(String s) {
        return quoteBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A quoted, escaped JSON string of well-formed UTF-8 bytes. */
    private static byte[] quoteBytes(byte[] b) {
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

    /**
     * True if none of the eight bytes of {@code w} needs a look: no byte below 0x20, none 0x80 or above, no
     * {@code "} and no {@code \}. (Each test is exact about whether any byte matches, which is all that is asked.)
     */
    private static boolean plain(long w) {
        long below20 = (w - 0x2020202020202020L) & ~w;
        long q = w ^ 0x2222222222222222L;
        long quote = (q - ONES) & ~q;
        long s = w ^ 0x5C5C5C5C5C5C5C5CL;
        long backslash = (s - ONES) & ~s;
        return ((w | below20 | quote | backslash) & HIGHS) == 0;
    }

    /** Where full buffers go: the output stream, or the queue to the writing thread. Returns the buffer to go on with. */
    private interface Drain {
        byte[] drain(byte[] buf, int length) throws IOException;
    }

    private record StreamDrain(OutputStream os) implements Drain {
        @Override
        public byte[] drain(byte[] buf, int length) throws IOException {
            os.write(buf, 0, length);
            return buf;
        }
    }

    private record QueueDrain(Lane lane) implements Drain {
        @Override
        public byte[] drain(byte[] buf, int length) throws IOException {
            try {
                lane.items().put(new Chunk(buf, length));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("export cancelled");
            }
            byte[] next = lane.free().poll();
            return next != null ? next : new byte[CHUNK];
        }
    }

    /** The output buffer, drained when full. */
    private static final class Out {
        private final Drain drain;
        private byte[] buf = new byte[CHUNK];
        private int pos;

        Out(Drain drain) {
            this.drain = drain;
        }

        /** Drains what is buffered (the end of a chat, for the parallel readers). */
        void handOff() throws IOException {
            if (pos > 0) {
                buf = drain.drain(buf, pos);
                pos = 0;
            }
        }

        void flush() throws IOException {
            handOff();
            if (drain instanceof StreamDrain s) s.os().flush();
        }

        private void ensure(int n) throws IOException {
            if (pos + n <= buf.length) return;
            handOff();
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
            if (v < 0) {
                byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(s, 0, buf, pos, s.length);
                pos += s.length;
                return;
            }
            int digits = 1;
            for (long t = v / 10; t > 0; t /= 10) digits++;
            int p = pos + digits;
            pos = p;
            do {
                buf[--p] = (byte) ('0' + v % 10);
                v /= 10;
            } while (v > 0);
        }

        static boolean wellFormed(byte[] b) {
            for (int i = 0; i < b.length; ) {
                if (b[i] >= 0) {
                    i++;
                } else {
                    int l = utf8Len(b, i, b.length);
                    if (l == 0) return false;
                    i += l;
                }
            }
            return true;
        }

        /**
         * Writes {@code b} (a TEXT column's UTF-8 bytes, or null) as a JSON string value. Should the bytes not be
         * well-formed UTF-8, the column is read again as a String ({@code rs}, {@code col}), as the generic
         * exporter reads it. A long value is escaped a block at a time, so the buffer never needs six times it.
         */
        void str(byte[] b, ResultSet rs, int col) throws IOException, SQLException {
            if (b == null) {
                raw(NULL);
                return;
            }
            if (b.length <= BLOCK) {
                ensure(b.length * 6 + 2);
                int start = pos;
                buf[pos++] = '"';
                if (escape(b, 0, b.length) >= 0) {
                    buf[pos++] = '"';
                    return;
                }
                pos = start;
                b = asRead(b, rs, col);
            } else if (!wellFormed(b)) {
                b = asRead(b, rs, col);
            }
            if (b == null) {
                raw(NULL);
                return;
            }
            raw((byte) '"');
            for (int i = 0; i < b.length; ) {
                // A block's last character may run up to three bytes past it, six output bytes per input byte.
                ensure(BLOCK * 6 + 24);
                i = escape(b, i, Math.min(i + BLOCK, b.length));
            }
            raw((byte) '"');
        }

        /** The value as the generic exporter reads ill-formed bytes: a String, here as its (well-formed) UTF-8. */
        private static byte[] asRead(byte[] b, ResultSet rs, int col) throws SQLException {
            String s = rs == null ? new String(b, StandardCharsets.UTF_8) : rs.getString(col);
            return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
        }

        /**
         * Escapes {@code b[from..to)} into the buffer at {@code pos} (which has room for it) and returns the index
         * reached: {@code to}, or up to three past it when the last character runs over. Returns -1, the buffer's
         * position untouched, at a byte that is not well-formed UTF-8.
         */
        private int escape(byte[] b, int from, int to) {
            int len = b.length;
            byte[] d = buf;
            int p = pos;
            int i = from;
            while (i < to) {
                // Runs of plain ASCII, eight bytes at a time: most text is copied without a look at each byte.
                while (i + 8 <= to) {
                    long w = (long) LONGS.get(b, i);
                    if (!plain(w)) break;
                    LONGS.set(d, p, w);
                    i += 8;
                    p += 8;
                }
                // Then byte by byte, to the end of the word that was not plain (or of the block).
                int stop = Math.min(i + 8, to);
                while (i < stop) {
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
                        if (l == 0) return -1;
                        for (int k = 0; k < l; k++) d[p++] = b[i + k];
                        i += l;
                    }
                }
            }
            pos = p;
            return i;
        }
    }
}
