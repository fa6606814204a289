package dev.novyse.export;

import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.ReplyTo;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.novyse.store.Fixtures.at;
import static dev.novyse.store.Fixtures.chat;
import static dev.novyse.store.Fixtures.msg;
import static dev.novyse.store.Fixtures.rich;
import static dev.novyse.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The message export (its rows, their order and filters) and the JSON Lines fast path against Jackson's bytes. */
class MessageExportTest {
    static final String ME = "u-me";
    static final String ANN = "u-ann";

    @TempDir
    Path dir;
    LocalDatabase db;

    @BeforeEach
    void setUp() {
        db = LocalDatabase.open(dir.resolve("v.db"));
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.setState(StoreWriter.ACCOUNT_USER_UUID, ME);
            w.upsertUser(user(ME, "Me", 1));
            w.upsertUser(user(ANN, "Ann", 1));
            w.upsertChat(chat("big", "GROUP", "Big Room", "bigroom", 0, List.of(ME, ANN)));
            w.upsertChat(chat("dm", "DM", null, null, 0, List.of(ME, ANN)));
            w.upsertChat(chat("quiet", "GROUP", "Quiet", null, 0, List.of(ME)));
            for (long i = 1; i <= 250; i++) w.upsertMessage(msg("big", 0, i, i % 5 == 0 ? ME : ANN, "m" + i));
            w.upsertMessage(msg("dm", 0, 1, ANN, "hi"));
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void exportStreamsInKeyOrderWithFilters() throws Exception {
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertChat(chat("a-chat", "GROUP", "A", null, 0, List.of(ME)));
            // written out of order on purpose
            w.upsertMessage(msg("a-chat", 1, 2, ME, "a12"));
            w.upsertMessage(rich("a-chat", 0, 2, ME, "a02", List.of(new Reaction(ANN, "👍", "t")),
                    List.of(new FileRef("f9", "notes.txt", "text/plain", 3L, null, null, null)), List.of(),
                    new ReplyTo("a-chat", 0, 1L, null, null), null));
            w.upsertMessage(msg("a-chat", 1, 1, ME, "a11"));
            w.upsertMessage(msg("a-chat", 0, 1, ME, "a01"));
            return null;
        });
        List<ExportRow> rows = new ArrayList<>();
        long n = MessageExporter.export(db, null, null, rows::add);
        assertEquals(255, n);
        assertEquals(List.of("a01", "a02", "a11", "a12"), rows.subList(0, 4).stream().map(ExportRow::content).toList());
        ExportRow a02 = rows.get(1);
        assertEquals("A", a02.chatName());
        assertEquals("[{\"reaction\":\"👍\",\"userUUID\":\"u-ann\"}]", a02.reactionsJson());
        assertEquals("[\"notes.txt\"]", a02.fileNamesJson());
        assertEquals(1L, a02.replyToMessageID());
        assertNull(rows.get(0).reactionsJson());
        for (int i = 1; i < rows.size(); i++) {
            ExportRow p = rows.get(i - 1), c = rows.get(i);
            int cmp = p.chatUUID().compareTo(c.chatUUID());
            if (cmp == 0) cmp = Integer.compare(p.subID(), c.subID());
            if (cmp == 0) cmp = Long.compare(p.id(), c.id());
            assertTrue(cmp < 0, "order at " + i);
        }
        List<ExportRow> one = new ArrayList<>();
        assertEquals(50, MessageExporter.export(db, "big", at(201), one::add));
        assertEquals(201, one.get(0).id());
        assertFalse(one.stream().anyMatch(r -> !r.chatUUID().equals("big")));
    }

    @Test
    void exportMergeFollowsSqliteOrderBeyondTheBmp() throws Exception {
        // SQLite orders by UTF-8 bytes: "x\uFFFF" < "x😀", the opposite of String.compareTo
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            for (String c : List.of("x\uFFFF", "x😀")) {
                w.upsertChat(chat(c, "GROUP", c, null, 0, List.of(ME)));
                // only the later chat has a reaction: a wrongly ordered merge would skip past it
                w.upsertMessage(rich(c, 0, 1, ME, "in " + c,
                        c.equals("x😀") ? List.of(new Reaction("by " + c, "👍", "t")) : List.of(), List.of(),
                        List.of(), null, null));
            }
            return null;
        });
        List<ExportRow> rows = new ArrayList<>();
        MessageExporter.export(db, null, null, r -> {
            if (r.chatUUID().startsWith("x")) rows.add(r);
        });
        assertEquals(List.of("x\uFFFF", "x😀"), rows.stream().map(ExportRow::chatUUID).toList());
        assertNull(rows.get(0).reactionsJson());
        assertEquals("[{\"reaction\":\"👍\",\"userUUID\":\"by x😀\"}]", rows.get(1).reactionsJson());
    }

    @Test
    void jsonlFastPathIsByteIdenticalToTheJsonlWriter() throws Exception {
        StringBuilder ctl = new StringBuilder();
        for (char c = 0; c < 0x80; c++) ctl.append(c);
        String tricky = ctl + " \"q\" \\ / é ü 中文 😀 \uFFFF \u2028 end";
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertChat(chat("t-chat", "GROUP", "T \"\n\t😀", null, 0, List.of(ME)));
            w.upsertChat(chat("x😀", "GROUP", "x", null, 0, List.of(ME)));
            w.upsertMessage(msg("t-chat", 0, 1, ME, tricky));
            w.upsertMessage(rich("t-chat", 0, 2, ANN, "r\b\f\r",
                    List.of(new Reaction(ANN, "👍", "t"), new Reaction(ME, "\"\\", "t")),
                    List.of(new FileRef("f2", "b\n.txt", "text/plain", 3L, null, null, null),
                            new FileRef("f1", "a \"é\".txt", "text/plain", 3L, null, null, null)), List.of(),
                    new ReplyTo("t-chat", 0, 1L, null, null), null));
            w.upsertMessage(msg("t-chat", 1, 3, "u-unknown", ""));
            w.upsertMessage(rich("x😀", 0, 1, ME, "in x", List.of(new Reaction(ANN, "🎉", "t")), List.of(),
                    List.of(), null, null));
            return null;
        });
        for (String chatUUID : new String[]{null, "t-chat", "nope"}) {
            java.io.ByteArrayOutputStream ref = new java.io.ByteArrayOutputStream();
            try (var writer = new JsonLinesWriter(ref)) {
                MessageExporter.export(db, chatUUID, null, writer);
            }
            java.io.ByteArrayOutputStream fast = new java.io.ByteArrayOutputStream();
            JsonlExporter.export(db, chatUUID, null, fast);
            assertEquals(ref.toString(java.nio.charset.StandardCharsets.UTF_8),
                    fast.toString(java.nio.charset.StandardCharsets.UTF_8), "chat " + chatUUID);
            assertTrue(java.util.Arrays.equals(ref.toByteArray(), fast.toByteArray()), "chat " + chatUUID);
        }
    }

    @Test
    void theTranscriptNamesADmByTheOtherMemberWhileTheContractKeepsItsNameNull() throws Exception {
        List<ExportRow> rows = new ArrayList<>();
        MessageExporter.export(db, "dm", null, rows::add);
        assertNull(rows.get(0).chatName());
        assertEquals("Ann", rows.get(0).chatTitle());
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        try (ExportFormat.RowWriter w = ExportFormat.text.open(text)) {
            MessageExporter.export(db, null, null, w);
        }
        String transcript = text.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(transcript.contains(" [Ann #1] Ann: hi\n"), transcript);
        assertTrue(transcript.contains(" [Big Room #249] Ann: m249\n"), transcript);
        assertFalse(transcript.contains("[dm "), transcript);
    }
}
