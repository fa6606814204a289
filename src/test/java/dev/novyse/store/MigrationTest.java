package dev.novyse.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.novyse.store.Fixtures.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A database created at every earlier schema version upgrades to the latest with its data intact. */
class MigrationTest {
    @TempDir
    Path dir;

    @Test
    void upgradesFromEveryEarlierVersion() {
        for (int from = 0; from < Migrations.latest(); from++) {
            Path file = dir.resolve("v" + from + ".db");
            try (LocalDatabase db = Fixtures.openAt(file, from)) {
                assertEquals(from, db.schemaVersion());
            }
            if (from >= 1) {
                // Data as a version-`from` client would have written it (plain SQL: only that version's tables).
                TestDb.exec(file,
                        "INSERT INTO chat(uuid, type, name, eventID) VALUES ('c1', 'GROUP', 'Old chat', 5)",
                        "INSERT INTO user(uuid, name, profileEventID) VALUES ('u1', 'Ann', 2)",
                        "INSERT INTO message(chatUUID, subID, id, senderUUID, content, created_at)"
                                + " VALUES ('c1', 0, 1, 'u1', 'pelican crossing ahead', '2025-01-01T00:00:01Z')",
                        "INSERT INTO pending_message(tempId, chatUUID, subID, content, created_at)"
                                + " VALUES ('t1', 'c1', 0, 'unsent', '2025-01-01T00:00:02Z')",
                        // as the chat screen kept the chat last open before version 8: bare text, not JSON
                        "INSERT INTO local_settings(key, value_json, scope) VALUES ('tui.lastChat', 'c1/0', 'local')");
            }
            try (LocalDatabase db = LocalDatabase.open(file)) {
                assertEquals(Migrations.latest(), db.schemaVersion(), "from v" + from);
                if (from >= 1) {
                    assertEquals("Old chat", db.chat("c1").orElseThrow().name());
                    assertEquals(1, db.latest("c1", 0, 10).size());
                    assertEquals(List.of("t1"), db.outbox().stream().map(PendingMessage::tempId).toList());
                    // migration 8: the local setting is a JSON string, read back as the text it was
                    assertEquals("c1/0", db.localSetting("tui.lastChat").orElseThrow());
                    // migration 2 indexed rows written before it existed
                    assertEquals(List.of(1L), db.search("pelican", null, 10, () -> false).orElseThrow().stream().map(MessageView::id).toList());
                }
                // and the new parts work for new rows
                db.inTransaction(tx -> {
                    StoreWriter w = new StoreWriter(tx);
                    if (!w.chatExists("c1")) {
                        w.upsertChat(Fixtures.chat("c1", "GROUP", "Old chat", null, 5, List.of("u1")));
                    }
                    w.upsertMessage(msg("c1", 0, 2, "u1", "albatross overhead"));
                    return null;
                });
                // migration 3: drafts per chat, kept and removed
                db.saveDraft("c1", 0, "half a thought");
                assertEquals("half a thought", db.draft("c1", 0));
                db.saveDraft("c1", 0, "");
                assertEquals("", db.draft("c1", 0));
                assertEquals(List.of(2L), db.search("albatross", null, 10, () -> false).orElseThrow().stream().map(MessageView::id).toList());
            }
            if (from >= 1) {
                assertEquals("\"c1/0\"", TestDb.value(file, "SELECT value_json FROM local_settings WHERE key = 'tui.lastChat'"));
            }
            TestDb.exec(file, "INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
            // migration 7: no message time index; the full-text index merges 8 segments at a time
            assertEquals(0L, ((Number) TestDb.value(file,
                    "SELECT COUNT(*) FROM sqlite_master WHERE name = 'message_chat_time'")).longValue(), "from v" + from);
            assertEquals(8L, ((Number) TestDb.value(file,
                    "SELECT v FROM message_fts_config WHERE k = 'automerge'")).longValue(), "from v" + from);
        }
    }

    @Test
    void ftsFollowsEditsAndDeletes() {
        Path file = dir.resolve("fts.db");
        try (LocalDatabase db = LocalDatabase.open(file)) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertChat(Fixtures.chat("c1", "GROUP", "C", null, 0, List.of("u1")));
                w.upsertMessage(msg("c1", 0, 1, "u1", "first words"));
                w.editMessage("c1", 0, 1, "second thoughts", null, 1, "t", "u1");
                return null;
            });
            assertTrue(db.search("first", null, 10, () -> false).orElseThrow().isEmpty());
            assertEquals(1, db.search("thoughts", null, 10, () -> false).orElseThrow().size());
            db.inTransaction(tx -> new StoreWriter(tx).deleteMessage("c1", 0, 1, 2L, "t", "u1"));
            assertTrue(db.search("thoughts", null, 10, () -> false).orElseThrow().isEmpty());
            // the index agrees with its content table, after a sub (and its messages) is dropped too
            TestDb.exec(file, "INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertMessage(msg("c1", 3, 1, "u1", "in a sub"));
                w.deleteSub("c1", 3);
                return null;
            });
            TestDb.exec(file, "INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
        }
    }
}
