package dev.novyse.export;

import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.ReadSnapshots;
import dev.novyse.store.StoreException;
import dev.novyse.store.StoreWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static dev.novyse.store.Fixtures.at;
import static dev.novyse.store.Fixtures.chat;
import static dev.novyse.store.Fixtures.msg;
import static dev.novyse.store.Fixtures.rich;
import static dev.novyse.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JSON Lines fast path against the generic writer (Jackson) on awkward content, with one reader and with
 * several, and what several readers must keep: one snapshot, and nothing left behind when the output fails.
 */
@Timeout(120) // a hang between the writing thread and its readers fails the test instead of the build
class JsonlExporterTest {
    /** Pieces that meet the escaping rules, UTF-8 of every length, and the 8-byte steps of the plain-run scan. */
    static final String[] PIECES = {"a", "plain words ", "12345678", "\"", "\\", "\n", "\t", "\u0000", "\u0001",
            "\u001f", "\u007f", " ", "é", "ж", "€", "😀", "👍🏽", "\r\n", "\b\f", "/", "<>&'", "\u2028", "日本語"};

    @TempDir
    Path dir;
    LocalDatabase db;
    Path file;

    @BeforeEach
    void setUp() {
        file = dir.resolve("x.db");
        db = LocalDatabase.open(file);
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    static String randomText(Random rnd) {
        StringBuilder sb = new StringBuilder();
        int pieces = rnd.nextInt(12);
        for (int i = 0; i < pieces; i++) sb.append(PIECES[rnd.nextInt(PIECES.length)]);
        return sb.toString();
    }

    /** Chats (one with a name that needs escaping, one without a name) with random messages and side rows. */
    void fill(int chats, int perChat, long seed) {
        Random rnd = new Random(seed);
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertUser(user("u1", "Ann \"the\" Admin", 1));
            w.upsertUser(user("u2", "Bö\tb", 1));
            for (int c = 0; c < chats; c++) {
                String uuid = "chat-" + (char) ('a' + c) + (c % 3 == 0 ? "😀" : "");
                w.upsertChat(chat(uuid, "GROUP", c == 1 ? null : "Room " + PIECES[c % PIECES.length], null, 0,
                        List.of("u1", "u2")));
                for (int i = 1; i <= perChat; i++) {
                    String sender = switch (i % 7) {
                        case 0 -> "u-unknown";
                        case 1, 2, 3 -> "u1";
                        default -> "u2";
                    };
                    int sub = i % 11 == 0 ? 1 : 0;
                    String text = randomText(rnd);
                    if (i % 5 == 0) {
                        List<Reaction> reactions = List.of(new Reaction("u1", PIECES[rnd.nextInt(PIECES.length)], null),
                                new Reaction("u2", "👍", null));
                        List<FileRef> files = i % 10 == 0 ? List.of(
                                new FileRef("f" + c + "-" + i + "b", "b " + randomText(rnd), "text/plain", 1L, null, null, null),
                                new FileRef("f" + c + "-" + i + "a", "a.txt", "text/plain", 1L, null, null, null))
                                : List.of();
                        ReplyTo reply = i > 1 ? new ReplyTo(uuid, 0, (long) i - 1, null, null) : null;
                        w.upsertMessage(rich(uuid, sub, i, sender, text, reactions, files, List.of(), reply, null));
                    } else {
                        w.upsertMessage(msg(uuid, sub, i, sender, text));
                    }
                }
            }
            return null;
        });
    }

    byte[] reference(String chatUUID, String since) throws IOException {
        ByteArrayOutputStream ref = new ByteArrayOutputStream();
        try (JsonLinesWriter writer = new JsonLinesWriter(ref)) {
            MessageExporter.export(db, chatUUID, since, writer);
        }
        return ref.toByteArray();
    }

    byte[] fast(String chatUUID, String since, int readers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonlExporter.export(db, chatUUID, since, out, readers);
        return out.toByteArray();
    }

    @Test
    void everyReaderCountWritesTheGenericWritersBytes() throws Exception {
        fill(9, 120, 7);
        // One long message crosses several output chunks.
        db.inTransaction(tx -> {
            new StoreWriter(tx).upsertMessage(msg("chat-e", 0, 500, "u1", "x\"y".repeat(150_000) + "é"));
            return null;
        });
        for (String since : new String[]{null, at(40)}) {
            byte[] ref = reference(null, since);
            assertTrue(ref.length > 400_000, "a sizeable export: " + ref.length);
            for (int readers : new int[]{1, 2, 3, 8}) {
                byte[] got = fast(null, since, readers);
                assertArrayEquals(ref, got, "since " + since + ", readers " + readers + ": first difference at "
                        + Arrays.mismatch(ref, got));
            }
        }
        assertArrayEquals(reference("chat-d😀", null), fast("chat-d😀", null, 4));
        assertArrayEquals(reference("no-such-chat", null), fast("no-such-chat", null, 4));
        assertEquals("", new String(fast("no-such-chat", null, 4), StandardCharsets.UTF_8), "no rows, no line");
        assertEquals("", new String(fast("no-such-chat", null, 1), StandardCharsets.UTF_8), "no rows, no line");
    }

    @Test
    void anEmptyStoreAndChatsWithoutMessagesWriteWhatTheGenericWriterWrites() throws Exception {
        assertArrayEquals(reference(null, null), fast(null, null, 4));
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            for (String c : List.of("c1", "c2", "c3")) w.upsertChat(chat(c, "GROUP", c, null, 0, List.of("u1")));
            w.upsertMessage(msg("c2", 0, 1, null, "only one"));
            return null;
        });
        for (int readers : new int[]{1, 2, 4}) {
            assertArrayEquals(reference(null, null), fast(null, null, readers), "readers " + readers);
        }
    }

    @Test
    void bytesThatAreNotUtf8AreWrittenAsTheGenericWriterReadsThem() throws Exception {
        fill(3, 20, 3);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            // A lone continuation byte, a truncated sequence, an overlong form and a surrogate, mid-word and at
            // an 8-byte boundary.
            st.executeUpdate("UPDATE message SET content = CAST(x'61ff62' AS TEXT) WHERE id = 3");
            st.executeUpdate("UPDATE message SET content = CAST(x'3031323334353637e282' AS TEXT) WHERE id = 4");
            st.executeUpdate("UPDATE message SET content = CAST(x'c0af' AS TEXT) WHERE id = 5");
            st.executeUpdate("UPDATE message SET content = CAST(x'eda080' AS TEXT), senderUUID = CAST(x'75ff' AS TEXT)"
                    + " WHERE id = 6");
        }
        byte[] ref = reference(null, null);
        for (int readers : new int[]{1, 2}) {
            assertArrayEquals(ref, fast(null, null, readers), "readers " + readers);
        }
    }

    @Test
    void parallelReadersSeeOneSnapshotWhileAnotherProcessCommits() throws Exception {
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertChat(chat("a-first", "GROUP", "A", null, 0, List.of("u1")));
            w.upsertChat(chat("z-last", "GROUP", "Z", null, 0, List.of("u1")));
            for (int i = 1; i <= 3000; i++) {
                w.upsertMessage(msg("a-first", 0, i, "u1", "filler " + i));
                w.upsertMessage(msg("z-last", 0, i, "u1", "filler " + i));
            }
            return null;
        });
        // A second connection, as a running `novyse sync` would have: every commit adds one message to both chats,
        // which the export's two readers (one chat each) read at different moments.
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong next = new AtomicLong(3001);
        AtomicReference<Throwable> writerError = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try (LocalDatabase other = LocalDatabase.open(file)) {
                while (!stop.get()) {
                    long id = next.getAndIncrement();
                    other.inTransaction(tx -> {
                        StoreWriter w = new StoreWriter(tx);
                        w.upsertMessage(msg("a-first", 0, id, "u1", "pair " + id));
                        w.upsertMessage(msg("z-last", 0, id, "u1", "pair " + id));
                        return null;
                    });
                    Thread.sleep(1);
                }
            } catch (Throwable e) {
                writerError.set(e);
            }
        }, "writer");
        writer.start();
        List<Long> totals = new ArrayList<>();
        try {
            for (int round = 0; round < 25; round++) {
                Map<String, Long> perChat = new HashMap<>();
                for (String line : new String(fast(null, null, 2), StandardCharsets.UTF_8).split("\n")) {
                    if (line.isEmpty()) continue;
                    String chat = dev.novyse.protocol.Json.mapper().readTree(line).get("chat").asText();
                    perChat.merge(chat, 1L, Long::sum);
                }
                assertEquals(perChat.get("a-first"), perChat.get("z-last"), "round " + round + ": " + perChat);
                totals.add(perChat.get("a-first"));
            }
        } finally {
            stop.set(true);
            writer.join();
        }
        assertNull(writerError.get());
        assertTrue(totals.stream().distinct().count() > 5, "the writer committed during the exports: " + totals);
    }

    @Test
    void aFailingOutputEndsTheExportAndLeavesNoReaderOrLockBehind() throws Exception {
        fill(6, 1500, 11);
        assertTrue(reference(null, null).length > 1_000_000);
        OutputStream failing = new OutputStream() {
            long written;

            @Override
            public void write(int b) throws IOException {
                write(new byte[]{(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 600_000) throw new IOException("Broken pipe"); // a few chunks in, mid-chat
            }
        };
        IOException e = assertThrows(IOException.class, () -> JsonlExporter.export(db, null, null, failing, 3));
        assertEquals("Broken pipe", e.getMessage());
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("novyse-export")),
                "reader threads ended");
        // The write lock was released and the readers' snapshots ended: another connection writes at once.
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=0");
            st.executeUpdate("UPDATE message SET content = 'after' WHERE chatUUID = 'chat-a😀' AND id = 1");
            try (var rs = st.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
                assertTrue(rs.next());
                assertEquals(0, rs.getInt(1), "no reader holds an old snapshot (checkpoint not blocked)");
            }
        }
        assertArrayEquals(reference(null, null), fast(null, null, 3));
    }

    /** A second, raw connection to the store, as the store's own connection (not in a transaction). */
    Connection raw() throws Exception {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=5000");
        }
        return c;
    }

    /** True if a writer gets the write lock at once: nothing of the export holds it or a transaction open. */
    boolean writableAtOnce() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout=0");
            st.execute("BEGIN IMMEDIATE");
            st.execute("ROLLBACK");
            return true;
        }
    }

    @Test
    void severalChatsAreReadByAsManyReadersAsAskedAndTheLockIsReleased() throws Exception {
        fill(5, 60, 5);
        byte[] ref = reference(null, null);
        for (int workers : new int[]{2, 3, 9}) {
            AtomicInteger opened = new AtomicInteger();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (Connection conn = raw()) {
                JsonlExporter.export(new ReadSnapshots(conn, () -> {
                    opened.incrementAndGet();
                    return DriverManager.getConnection("jdbc:sqlite:" + file);
                }), workers, null, null, out);
                assertTrue(writableAtOnce(), "the export's connection holds no lock once it returns");
            }
            assertEquals(Math.min(workers, 5), opened.get(), "readers for " + workers + " workers");
            assertArrayEquals(ref, out.toByteArray(), "workers " + workers);
        }
    }

    @Test
    void aReaderThatCannotBeOpenedLeavesTheExportToOneConnection() throws Exception {
        fill(4, 50, 9);
        AtomicInteger opened = new AtomicInteger();
        List<Connection> given = new ArrayList<>();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Connection conn = raw()) {
            JsonlExporter.export(new ReadSnapshots(conn, () -> {
                if (opened.incrementAndGet() == 2) throw new java.sql.SQLException("too many open files");
                Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                given.add(c);
                return c;
            }), 4, null, null, out);
            assertTrue(writableAtOnce(), "the export's connection holds no lock once it returns");
        }
        assertEquals(2, opened.get());
        assertArrayEquals(reference(null, null), out.toByteArray());
        assertTrue(given.get(0).isClosed(), "the reader opened before the failure is closed");
    }

    @Test
    void aReaderFailingMidExportFailsTheExportAndLeavesNothingBehind() throws Exception {
        fill(4, 50, 13);
        // The second reader is a real database without a message table: its first chat fails to prepare.
        Path other = dir.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + other); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE chat (uuid TEXT PRIMARY KEY, name TEXT)");
        }
        AtomicInteger opened = new AtomicInteger();
        try (Connection conn = raw()) {
            StoreException e = assertThrows(StoreException.class, () -> JsonlExporter.export(new ReadSnapshots(conn,
                    () -> DriverManager.getConnection("jdbc:sqlite:" + (opened.incrementAndGet() == 2 ? other : file))),
                    2, null, null, new ByteArrayOutputStream()));
            assertTrue(e.getMessage().contains("no such table: message"), e.getMessage());
            assertTrue(writableAtOnce(), "the export's connection holds no lock once it fails");
        }
        assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().startsWith("novyse-export")));
    }

    @Test
    void messagesWithoutAChatRowAndChatIdsThatAreNotUtf8AreExportedAsTheGenericWriterDoes() throws Exception {
        fill(3, 20, 17);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            // A hand edit with foreign keys off (sqlite3's default): chats that the chat table does not have.
            st.executeUpdate("INSERT INTO message (chatUUID, subID, id, senderUUID, content, created_at)"
                    + " VALUES ('0-before-all', 0, 1, 'u1', 'orphan first', '2025-01-01T00:00:00.000Z'),"
                    + " ('chat-b-orphan', 0, 1, 'u2', 'orphan between', '2025-01-01T00:00:01.000Z'),"
                    + " ('zz-after-all', 0, 1, NULL, 'orphan last', '2025-01-01T00:00:02.000Z'),"
                    + " (CAST(x'63686174ff' AS TEXT), 0, 1, 'u1', 'not utf-8', '2025-01-01T00:00:03.000Z')");
        }
        byte[] ref = reference(null, null);
        assertTrue(new String(ref, StandardCharsets.UTF_8).contains("orphan between"));
        for (int readers : new int[]{1, 2, 3}) {
            assertArrayEquals(ref, fast(null, null, readers), "readers " + readers);
        }
    }
}
