package dev.novyse.sync;

import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.StoreException;
import dev.novyse.store.StoreWriter;
import dev.novyse.store.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchApplierTest {
    @TempDir
    Path dir;
    LocalDatabase db;
    BatchApplier applier = new BatchApplier();

    @BeforeEach
    void open() {
        db = LocalDatabase.open(dir.resolve("s.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    ApplyStats init(InitializeData d) {
        ApplyStats s = new ApplyStats();
        db.inTransaction(tx -> {
            applier.applyInitialize(new StoreWriter(tx), d, s);
            return null;
        });
        return s;
    }

    ApplyStats update(UpdateData d) {
        ApplyStats s = new ApplyStats();
        db.inTransaction(tx -> {
            applier.applyUpdate(new StoreWriter(tx), d, s);
            return null;
        });
        return s;
    }

    static long num(Path f, String sql, Object... args) {
        Object v = TestDb.value(f, sql, args);
        return v == null ? -1 : ((Number) v).longValue();
    }

    @Test
    void initializeStoresEverythingAndItsCursors() {
        ApplyStats s = init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        Path f = db.file();
        assertEquals(1, s.chats);
        assertEquals(3, s.messages);
        assertTrue(db.isInitialized());
        assertEquals("u-me", db.accountUserUUID().orElseThrow());
        assertEquals(3, db.localEventId());
        assertEquals(10, db.chat("g1").orElseThrow().eventID());
        assertEquals(List.of("u-ann", "u-me"), db.members("g1").stream().map(m -> m.userUUID()).toList());
        assertEquals(List.of(0), db.members("g1").get(0).roleIDs());
        assertEquals(2, num(f, "SELECT COUNT(*) FROM role WHERE chatUUID = 'g1'"));
        assertEquals(0, db.chat("g1").orElseThrow().pinnedPosition());
        assertEquals("\"dark\"", TestDb.value(f, "SELECT value_json FROM local_settings WHERE key = 'theme'"));
        assertEquals(1, num(f, "SELECT COUNT(*) FROM favorite_message"));
        List<MessageView> w = db.latest("g1", 0, 10);
        assertEquals(List.of(1L, 2L, 3L), w.stream().map(MessageView::id).toList());
        assertEquals("a.txt", w.get(0).files().get(0).name());
        assertTrue(w.get(1).pinned());
        assertEquals("u-me", w.get(1).senderUUID());
        assertEquals(1, w.get(1).reactions().size());
        assertEquals(1L, w.get(2).replyTo().messageID());
        assertEquals(1, num(f, "SELECT COUNT(*) FROM message_read WHERE messageID = 2 AND userUUID = 'u-ann'"));
        assertEquals(3, db.subCursors("g1").get(0).messageID());
        assertEquals("u-ann", TestDb.value(f, "SELECT userUUID FROM handle WHERE handle = 'ANN'"));
    }

    @Test
    void initializeForAnotherAccountIsRefused() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        String before = TestDb.dump(db.file());
        InitializeData other = SyncFixtures.initialize(SyncFixtures.INITIALIZE.replace("\"u-me\"", "\"u-other\""));
        StoreException e = assertThrows(StoreException.class, () -> init(other));
        assertTrue(e.getMessage().contains("belongs to account u-me"), e.getMessage());
        assertEquals(before, TestDb.dump(db.file()));
    }

    @Test
    void reInitializeKeepsTheOutbox() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        String t = db.enqueue("g1", 0, "unsent", null, List.of());
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        assertEquals(List.of(t), db.outbox().stream().map(p -> p.tempId()).toList());
    }

    @Test
    void updateAppliesEveryEventType() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        ApplyStats s = update(SyncFixtures.update(SyncFixtures.UPDATE));
        Path f = db.file();
        // new chat with its embedded message; new user
        assertEquals("DM", db.chat("d1").orElseThrow().type());
        assertEquals("Bob", db.chat("d1").orElseThrow().title());
        assertEquals("yo", db.latest("d1", 0, 5).get(0).content());
        // MESSAGE_EDITED: content, files, flag, history
        MessageView m1 = db.latest("g1", 0, 10).get(0);
        assertEquals("edited one", m1.content());
        assertTrue(m1.edited());
        assertEquals(List.of("b.txt"), m1.files().stream().map(MessageView.FileView::name).toList());
        assertEquals("edited one", TestDb.value(f, "SELECT content FROM edited_message WHERE messageID = 1 AND eventID = 11"));
        assertEquals("u-ann", TestDb.value(f, "SELECT editorUUID FROM edited_message WHERE eventID = 11"));
        // reactions: 🔥 removed, 😀 and 👍 added
        MessageView m2 = db.latest("g1", 0, 10).get(1);
        assertEquals(Map.of("😀", false, "👍", true), m2.reactions().stream()
                .collect(java.util.stream.Collectors.toMap(MessageView.ReactionCount::emoji, MessageView.ReactionCount::mine)));
        // pins: 1 pinned, 2 unpinned
        assertTrue(m1.pinned());
        assertFalse(m2.pinned());
        assertEquals("u-me", TestDb.value(f, "SELECT pinned_by FROM pinned_message WHERE messageID = 1"));
        // read watermark on message 4
        assertEquals(4, num(f, "SELECT MAX(messageID) FROM message_read WHERE chatUUID='g1' AND userUUID='u-me'"));
        assertEquals(0, db.chat("g1").orElseThrow().unreadCount());
        // subs: 1 renamed, 2 created then deleted
        assertEquals(List.of("general", "plans"), db.subs("g1").stream().map(x -> x.name()).toList());
        // members: bob joined with his roles, ann left
        assertEquals(List.of("u-bob", "u-me"), db.members("g1").stream().map(x -> x.userUUID()).toList());
        assertEquals(List.of(0), db.members("g1").get(0).roleIDs());
        // rename (the stale event 9 was skipped)
        assertEquals("Garden 2", db.chat("g1").orElseThrow().name());
        // MESSAGE_DELETED: tombstone, row kept, deleted_message row
        MessageView m3 = db.latest("g1", 0, 10).get(2);
        assertTrue(m3.deleted());
        assertNull(m3.content());
        assertNull(m3.replyTo());
        assertEquals(25, num(f, "SELECT eventID FROM deleted_message WHERE messageID = 3"));
        // cursor advanced over every event, unknown and skipped ones included
        assertEquals(27, db.chat("g1").orElseThrow().eventID());
        assertEquals(Map.of("chatEvent.SOMETHING_NEW", 1L, "userEvent.UNKNOWN_LOCAL", 1L), db.skippedCounts());
        // profile events: newer bio and handle applied, stale name ignored, unknown user skipped
        var ann = db.user("u-ann").orElseThrow();
        assertEquals("gardener", ann.biography());
        assertEquals("Ann", ann.name());
        assertEquals("annie", ann.handle());
        assertEquals(6, ann.profileEventID());
        assertEquals("u-ann", TestDb.value(f, "SELECT userUUID FROM handle WHERE handle = 'annie'"));
        assertNull(TestDb.value(f, "SELECT userUUID FROM handle WHERE handle = 'ann'"));
        assertTrue(db.user("u-ghost").isEmpty());
        // user events
        assertEquals(9, db.localEventId());
        assertEquals(2, db.chat("g1").orElseThrow().pinnedPosition());
        assertEquals(List.of(List.of(2L)), TestDb.rows(f, "SELECT messageID FROM favorite_message").stream()
                .map(r -> List.of(((Number) r.get(0)).longValue())).toList());
        assertEquals("\"light\"", TestDb.value(f, "SELECT value_json FROM local_settings WHERE key = 'theme'"));
        // counters
        assertEquals(1, s.chats);
        assertEquals(1, s.users);
        assertEquals(2, s.messages);
        assertEquals(15, s.chatEvents);
        assertEquals(2, s.profileEvents);
        assertEquals(5, s.userEvents);
        assertEquals(2, s.skippedUnknown);
    }

    @Test
    void applyingTheSameBatchTwiceGivesTheSameDatabase() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        update(SyncFixtures.update(SyncFixtures.UPDATE));
        String once = TestDb.dump(db.file());
        ApplyStats again = update(SyncFixtures.update(SyncFixtures.UPDATE));
        assertEquals(once, TestDb.dump(db.file()));
        assertEquals(0, again.chatEvents);
        assertEquals(0, again.skippedUnknown);
        // the initialize replayed on top yields the same as a fresh initialize
        Path other = dir.resolve("t.db");
        try (LocalDatabase db2 = LocalDatabase.open(other)) {
            ApplyStats s = new ApplyStats();
            db2.inTransaction(tx -> {
                applier.applyInitialize(new StoreWriter(tx), SyncFixtures.initialize(SyncFixtures.INITIALIZE), s);
                applier.applyInitialize(new StoreWriter(tx), SyncFixtures.initialize(SyncFixtures.INITIALIZE), s);
                return null;
            });
        }
        Path fresh = dir.resolve("u.db");
        try (LocalDatabase db3 = LocalDatabase.open(fresh)) {
            db3.inTransaction(tx -> {
                applier.applyInitialize(new StoreWriter(tx), SyncFixtures.initialize(SyncFixtures.INITIALIZE), new ApplyStats());
                return null;
            });
        }
        assertEquals(TestDb.dump(fresh), TestDb.dump(other));
    }

    @Test
    void aRedeliveredMessageReplacesItsState() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        update(SyncFixtures.update("""
                {"messages": [{"id": 2, "chatUUID": "g1", "subID": 0, "userUUID": "u-me", "content": "two!",
                               "edited": true, "pinned": false, "created_at": "2025-01-01T00:00:02Z",
                               "reactions": [{"userUUID": "u-me", "reaction": "🎉"}], "reads": [],
                               "files": [{"uuid": "f3", "name": "c.txt"}]}]}
                """));
        MessageView m2 = db.latest("g1", 0, 10).get(1);
        assertEquals("two!", m2.content());
        assertTrue(m2.edited());
        assertFalse(m2.pinned());
        assertEquals(List.of(new MessageView.ReactionCount("🎉", 1, true)), m2.reactions());
        assertEquals("c.txt", m2.files().get(0).name());
        // reads are watermarks: an empty list in a re-delivered state does not un-read anything
        assertEquals(1, num(db.file(), "SELECT COUNT(*) FROM message_read WHERE messageID = 2"));
        // a tombstone wins and stays: a later live copy does not resurrect it
        update(SyncFixtures.update("""
                {"messages": [{"id": 2, "chatUUID": "g1", "subID": 0, "userUUID": "u-me", "deleted": true}]}"""));
        update(SyncFixtures.update("""
                {"messages": [{"id": 2, "chatUUID": "g1", "subID": 0, "userUUID": "u-me", "content": "zombie"}]}"""));
        MessageView gone = db.latest("g1", 0, 10).get(1);
        assertTrue(gone.deleted());
        assertNull(gone.content());
        assertTrue(gone.reactions().isEmpty());
        assertTrue(gone.files().isEmpty());
    }

    @Test
    void cursorsNeverMoveBack() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        update(SyncFixtures.update(SyncFixtures.UPDATE));
        String newer = TestDb.dump(db.file());
        // an older view of the world: the chat at eventID 10 with its old name, old events, older profile,
        // older user events
        update(SyncFixtures.update("""
                {"chats": {"new": [{"uuid": "g1", "type": "GROUP", "name": "Garden", "eventID": 10,
                                    "members": [{"uuid": "u-me"}]}],
                           "events": [{"id": 24, "type": "CHAT_RENAMED", "chatUUID": "g1", "payload": {"name": "Old"}}]},
                 "users": {"new": [{"uuid": "u-ann", "name": "Old Ann", "profileEventID": 4}],
                           "events": [{"id": 6, "userUUID": "u-ann", "payload": {"name": "Older Ann"}}]},
                 "local": [{"id": 7, "type": "CHAT_UNPINNED", "payload": {"chatUUID": "g1"}}]}
                """));
        assertEquals(newer, TestDb.dump(db.file()));
        assertEquals(27, db.chat("g1").orElseThrow().eventID());
        assertEquals(9, db.localEventId());
        assertEquals(6, db.user("u-ann").orElseThrow().profileEventID());
    }

    @Test
    void aFailureMidApplyRollsBackTheWholeBatch() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        String before = TestDb.dump(db.file());
        applier.setHook(step -> {
            if (step.equals("chatEvents")) throw new IllegalStateException("injected failure");
        });
        assertThrows(IllegalStateException.class, () -> update(SyncFixtures.update(SyncFixtures.UPDATE)));
        assertEquals(before, TestDb.dump(db.file()));
        applier.setHook(null);
        // a message whose chat is unknown is a bad reply, refused before anything of the batch stays
        String bad = SyncFixtures.UPDATE.replace("\"messages\": [{\"id\": 4, \"chatUUID\": \"g1\"",
                "\"messages\": [{\"id\": 4, \"chatUUID\": \"g1\", \"subID\": 0}, {\"id\": 1, \"chatUUID\": \"zz\"");
        assertNotEquals(SyncFixtures.UPDATE, bad);
        ApiException e = assertThrows(ApiException.class, () -> update(SyncFixtures.update(bad)));
        assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
        assertTrue(e.getMessage().contains("does not have"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals(before, TestDb.dump(db.file()));
        // and the batch still applies once fixed
        update(SyncFixtures.update(SyncFixtures.UPDATE));
        assertEquals(27, db.chat("g1").orElseThrow().eventID());
    }

    @Test
    void removedChatsGoWithEverythingButTheOutbox() {
        init(SyncFixtures.initialize(SyncFixtures.INITIALIZE));
        db.enqueue("g1", 0, "unsent", null, List.of());
        ApplyStats s = update(SyncFixtures.update("{\"chats\": {\"removed\": [\"g1\", \"never-had-it\"]}}"));
        assertEquals(1, s.removedChats);
        assertTrue(db.chat("g1").isEmpty());
        for (String t : List.of("message", "member", "role", "chat_sub", "pinned_message", "favorite_message",
                "chat_pin", "reaction_message", "message_files", "message_read", "message_reply")) {
            assertEquals(0, num(db.file(), "SELECT COUNT(*) FROM " + t), t);
        }
        assertNull(TestDb.value(db.file(), "SELECT chatUUID FROM handle WHERE handle = 'garden'"));
        assertEquals(1, db.outbox().size());
        assertTrue(db.updateRequest().chats().isEmpty());
    }
}
