package dev.novyse.sync;

import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The cursors derived from a reply are exactly those the database holds once the reply is applied. */
class SyncCursorsTest {
    @TempDir
    Path dir;
    LocalDatabase db;
    final BatchApplier applier = new BatchApplier();

    @BeforeEach
    void open() {
        db = LocalDatabase.open(dir.resolve("c.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    void initialize(String json) {
        InitializeData data = SyncFixtures.initialize(json);
        db.inTransaction(tx -> {
            applier.applyInitialize(new StoreWriter(tx), data, new ApplyStats());
            return null;
        });
        assertEquals(db.updateRequest(), SyncCursors.afterInitialize(data));
    }

    /** Derives the cursors, applies the reply, and holds the two against each other. */
    UpdateRequest applyAndCompare(String json) {
        UpdateData data = SyncFixtures.update(json);
        UpdateRequest derived = SyncCursors.afterUpdate(db.updateRequest(), data);
        db.inTransaction(tx -> {
            applier.applyUpdate(new StoreWriter(tx), data, new ApplyStats());
            return null;
        });
        UpdateRequest stored = db.updateRequest();
        assertEquals(stored, derived, json);
        return stored;
    }

    static String message(String chat, int sub, long id) {
        return "{\"id\":" + id + ",\"chatUUID\":\"" + chat + "\",\"subID\":" + sub + ",\"userUUID\":\"u-ann\","
                + "\"content\":\"m" + id + "\",\"created_at\":\"2025-01-03T00:00:00Z\"}";
    }

    @Test
    void theFixturesEveryStepIncludedAndAgainWhenReapplied() {
        initialize(SyncFixtures.INITIALIZE);
        UpdateRequest once = applyAndCompare(SyncFixtures.UPDATE);
        assertEquals(once, applyAndCompare(SyncFixtures.UPDATE)); // nothing moves the second time (idempotent)
    }

    @Test
    void deletedSubsRemovedAndRecreatedChatsAndStaleInputs() {
        initialize(SyncFixtures.INITIALIZE);
        // messages in a second sub; a new DM whose embedded messages carry no chatUUID
        applyAndCompare("""
                {"chats": {"new": [{"uuid": "d1", "type": "DM", "eventID": 4,
                                    "messages": [{"id": 1, "subID": 0, "content": "a"}, {"id": 2, "subID": 0, "content": "b"}]}],
                           "events": [{"id": 11, "type": "SUB_CREATED", "chatUUID": "g1", "payload": {"subID": 2, "name": "x"}}]},
                 "messages": [%s, %s, %s, %s]}""".formatted(message("g1", 2, 1), message("g1", 2, 2),
                message("g1", 2, 3), message("g1", 0, 4)));
        // the sub goes (with a message that arrived in the same reply), a stale deletion of sub 0 does not count,
        // an event of an unknown chat is skipped, the known DM comes again with an older eventID
        UpdateRequest r = applyAndCompare("""
                {"chats": {"new": [{"uuid": "d1", "type": "DM", "eventID": 1, "messages": [{"id": 3, "subID": 0}]}],
                           "events": [{"id": 12, "type": "SUB_DELETED", "chatUUID": "g1", "payload": {"subID": 2}},
                                      {"id": 5, "type": "SUB_DELETED", "chatUUID": "g1", "payload": {"subID": 0}},
                                      {"id": 7, "type": "SUB_DELETED", "chatUUID": "zz", "payload": {"subID": 0}},
                                      {"id": 13, "type": "SUB_DELETED", "chatUUID": "g1", "payload": {}}]},
                 "messages": [%s]}""".formatted(message("g1", 2, 4)));
        assertEquals(List.of(new UpdateRequest.SubCursor(0, 4)), r.chats().get(1).subs());
        assertEquals(13, r.chats().get(1).eventID());
        assertEquals(4, r.chats().get(0).eventID());
        // removed and re-created in one reply: the old messages are gone, the new eventID counts even if smaller;
        // removing a chat not stored does nothing
        r = applyAndCompare("""
                {"chats": {"removed": ["g1", "nowhere"],
                           "new": [{"uuid": "g1", "type": "GROUP", "eventID": 2, "messages": [{"id": 1, "subID": 0}]}]}}""");
        assertEquals(new UpdateRequest.ChatCursor("g1", 2, List.of(new UpdateRequest.SubCursor(0, 1))), r.chats().get(1));
        // profile events: an unknown user is skipped, an older event of a known one moves nothing; user events
        applyAndCompare("""
                {"users": {"new": [{"uuid": "u-ann", "name": "Ann", "profileEventID": 2}],
                           "events": [{"id": 9, "userUUID": "u-ghost", "type": "NAME_CHANGED", "payload": {"name": "G"}},
                                      {"id": 3, "userUUID": "u-me", "type": "NAME_CHANGED", "payload": {"name": "M"}},
                                      {"id": 8, "userUUID": "u-me", "type": "BIO_CHANGED", "payload": {"biography": "b"}}]},
                 "local": [{"id": 2, "type": "CHAT_UNPINNED", "payload": {"chatUUID": "g1"}},
                           {"id": 7, "type": "UNKNOWN_LOCAL", "payload": {}}]}""");
        assertEquals(7, db.localEventId());
    }

    @Test
    void everySubWithMessagesHasItsCursorEvenOneTheChatsListOfSubsDropped() {
        initialize(SyncFixtures.INITIALIZE);
        applyAndCompare("{\"messages\": [" + String.join(", ", message("g1", 0, 4), message("g1", 7, 1),
                message("g1", 7, 2), message("g1", 3, 1), message("g1", 3, 2), message("g1", 3, 3)) + "]}");
        // a chat upsert whose list of subs leaves sub 3 out keeps its messages but not its chat_sub row
        db.inTransaction(tx -> tx.update("DELETE FROM chat_sub WHERE chatUUID = 'g1' AND id = 3"));
        UpdateRequest.ChatCursor g1 = db.updateRequest().chats().stream().filter(c -> c.chatUUID().equals("g1"))
                .findFirst().orElseThrow();
        assertEquals(List.of(new UpdateRequest.SubCursor(0, 4), new UpdateRequest.SubCursor(3, 3),
                new UpdateRequest.SubCursor(7, 2)), g1.subs());
    }

    @Test
    void chatsAndUsersInSqliteBinaryOrder() {
        // UTF-16 order puts the emoji (a surrogate pair) first; SQLite's BINARY (UTF-8 bytes) puts U+FF21 first
        initialize("""
                {"local": {"user": {"uuid": "u-me", "name": "Me"}},
                 "users": [{"uuid": "😀", "name": "e"}, {"uuid": "Ａ", "name": "a"}, {"uuid": "B", "name": "b"}],
                 "chats": [{"uuid": "😀", "type": "GROUP"}, {"uuid": "Ａ", "type": "GROUP"}, {"uuid": "a", "type": "GROUP"},
                           {"uuid": "B", "type": "GROUP"}],
                 "messages": [{"id": 1, "chatUUID": "😀", "subID": 0}, {"id": 1, "chatUUID": "Ａ", "subID": 3}]}""");
        assertEquals(List.of("B", "a", "Ａ", "😀"),
                db.updateRequest().chats().stream().map(UpdateRequest.ChatCursor::chatUUID).toList());
        applyAndCompare("{\"messages\": [" + message("a", 1, 1) + ", " + message("a", 0, 1) + "]}");
    }

    @Test
    void aMessageOfAChatNotStoredFailsTheApplyWhateverTheDerivationSays() {
        initialize(SyncFixtures.INITIALIZE);
        UpdateData bad = SyncFixtures.update("{\"messages\": [" + message("zz", 0, 1) + "]}");
        SyncCursors.afterUpdate(db.updateRequest(), bad); // no exception: the apply is what refuses it
        assertThrows(RuntimeException.class, () -> db.inTransaction(tx -> {
            applier.applyUpdate(new StoreWriter(tx), bad, new ApplyStats());
            return null;
        }));
    }
}
