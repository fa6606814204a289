package dev.novyse.store;

import dev.novyse.protocol.Message;
import dev.novyse.protocol.ReplyTo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import static dev.novyse.store.Fixtures.chat;
import static dev.novyse.store.Fixtures.msg;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutboxTest {
    @TempDir
    Path dir;

    private LocalDatabase open() {
        LocalDatabase db = LocalDatabase.open(dir.resolve("o.db"));
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertChat(chat("c1", "GROUP", "C", null, 0, List.of("me")));
            w.upsertMessage(msg("c1", 0, 1, "ann", "hello"));
            return null;
        });
        return db;
    }

    @Test
    void enqueueListAttemptFailRetry() {
        try (LocalDatabase db = open()) {
            String t = db.enqueue("c1", 0, "hi there", new ReplyTo(null, null, 1L, null, null),
                    List.of(new OutgoingFile(dir.resolve("x.txt"), "x.txt", "text/plain", 3)));
            UUID.fromString(t); // a real UUID
            assertEquals(1, db.pending().size());
            PendingMessage p = db.pending().get(0);
            assertEquals("hi there", p.content());
            assertEquals(1L, p.replyTo().messageID());
            assertEquals("c1", p.replyTo().chatUUID());
            assertEquals("x.txt", p.files().get(0).name());
            db.markAttempt(t, "timeout");
            assertEquals(1, db.pending().get(0).attempts());
            db.markFailed(t, "gave up", true);
            assertTrue(db.pending().isEmpty());
            assertEquals(OutboxState.FAILED, db.outbox().get(0).state());
            assertEquals(2, db.outbox().get(0).attempts(), "a refusal is an attempt too");
            db.retry(t);
            assertEquals(OutboxState.PENDING, db.outbox().get(0).state());
            // the outbox never feeds the cursor
            assertEquals(1, db.subCursors("c1").get(0).messageID());
        }
    }

    @Test
    void acknowledgeIsAtomic() {
        try (LocalDatabase db = open()) {
            String t = db.enqueue("c1", 0, "hi", null, List.of());
            String before = TestDb.dump(db.file());
            // a server message for a chat we do not have violates a foreign key: nothing changes
            Message bad = msg("no-such-chat", 0, 1, "me", "hi");
            assertThrows(StoreException.class, () -> db.acknowledge(t, bad));
            assertEquals(before, TestDb.dump(db.file()));
            assertEquals(1, db.outbox().size());

            assertTrue(db.acknowledge(t, msg("c1", 0, 2, "me", "hi")));
            assertTrue(db.outbox().isEmpty());
            assertEquals(List.of(1L, 2L), db.latest("c1", 0, 10).stream().map(MessageView::id).toList());
        }
    }

    @Test
    void acknowledgeThatWouldSkipAheadWaitsForSync() {
        try (LocalDatabase db = open()) {
            String t = db.enqueue("c1", 0, "hi", null, List.of());
            // ids 2..4 were posted by others and are not synced yet
            assertFalse(db.acknowledge(t, msg("c1", 0, 5, "me", "hi")));
            assertEquals(OutboxState.SENT, db.outbox().get(0).state());
            assertEquals(1, db.subCursors("c1").get(0).messageID());
            // the sync brings 2..5; the SENT row goes with message 5
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                for (long i = 2; i <= 5; i++) w.upsertMessage(msg("c1", 0, i, i == 5 ? "me" : "ann", "m" + i));
                return null;
            });
            assertTrue(db.outbox().isEmpty());
        }
    }

    @Test
    void aSyncedEchoWithTheTempIdClearsThePendingRow() {
        try (LocalDatabase db = open()) {
            String t = db.enqueue("c1", 0, "hi", null, List.of());
            Message m = msg("c1", 0, 2, "me", "hi");
            Message echo = new Message(m.id(), m.chatUUID(), m.subID(), m.userUUID(), m.content(), m.type(), null,
                    m.createdAt(), false, null, null, null, null, null, null, null, null, t);
            db.inTransaction(tx -> {
                new StoreWriter(tx).upsertMessage(echo);
                return null;
            });
            assertTrue(db.outbox().isEmpty());
        }
    }

    @Test
    void removingAChatKeepsItsOutbox() {
        try (LocalDatabase db = open()) {
            db.enqueue("c1", 0, "hi", null, List.of());
            db.inTransaction(tx -> {
                new StoreWriter(tx).removeChat("c1");
                return null;
            });
            assertTrue(db.chat("c1").isEmpty());
            assertEquals(0L, ((Number) TestDb.value(db.file(), "SELECT COUNT(*) FROM message")).longValue());
            assertEquals(1, db.outbox().size());
        }
    }
}
