package dev.novyse.sync;

import dev.novyse.export.archive.ArchiveExporter;
import dev.novyse.export.archive.ArchiveHeader;
import dev.novyse.export.archive.ArchiveImporter;
import dev.novyse.export.archive.ArchiveReader;
import dev.novyse.export.archive.ArchiveSchema;
import dev.novyse.protocol.Message;
import dev.novyse.store.Fixtures;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.StoreWriter;
import dev.novyse.store.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Search finds a message whichever way it arrived: initialize, update, live, the outbox's acknowledgement, import
 * and edit. A sync page indexes its messages in bulk before it commits (migration 4); every other path indexes
 * through the triggers. After each path the full-text index agrees with its content table.
 */
class FullTextPathsTest {
    @TempDir
    Path dir;
    FakePeer peer;
    LocalDatabase db;
    SyncEngine engine;

    @BeforeEach
    void start() throws Exception {
        peer = new FakePeer();
        db = LocalDatabase.open(dir.resolve("s.db"));
        engine = new SyncEngine(new ApiClient(peer.uri(), TokenProvider.fixed("t")), db, 100);
    }

    @AfterEach
    void stop() {
        db.close();
        peer.close();
    }

    @Test
    void searchFindsMessagesOfEveryWritePath() throws Exception {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", "{}");
        engine.sync();
        assertFound(db, "three", 3L); // initialize
        intact(db);

        peer.ok("/user/update", SyncFixtures.UPDATE);
        engine.sync();
        assertFound(db, "four", 4L); // update
        assertFound(db, "edited", 1L); // edit, as an update's MESSAGE_EDITED event
        assertFound(db, "three"); // deleted by the same update
        assertFound(db, "yo", 1L); // a new chat's embedded message
        intact(db);

        // live: a NEW_MESSAGE goes through applyMessages in a transaction of its own (LiveApplier.place)
        db.inTransaction(tx -> {
            engine.applier().applyMessages(new StoreWriter(tx), List.of(Fixtures.msg("g1", 0, 5, "u-ann", "lively")),
                    new ApplyStats());
            return null;
        });
        assertFound(db, "lively", 5L);

        // the outbox's acknowledgement stores the server's message
        String tempId = db.enqueue("g1", 0, "outgoing parcel", null, List.of());
        Message sent = Fixtures.msg("g1", 0, 6, "u-me", "outgoing parcel");
        db.acknowledge(tempId, new Message(sent.id(), sent.chatUUID(), sent.subID(), sent.userUUID(), sent.content(),
                sent.type(), null, sent.createdAt(), null, null, null, null, null, null, null, null, null, tempId));
        assertFound(db, "parcel", 6L);

        // edit, as a live event applies it
        db.inTransaction(tx -> new StoreWriter(tx).editMessage("g1", 0, 5, "quietly", null, 40, "t", "u-ann"));
        assertFound(db, "lively");
        assertFound(db, "quietly", 5L);
        intact(db);

        // import: an archive of this store into an empty one
        ByteArrayOutputStream archive = new ByteArrayOutputStream();
        ArchiveExporter.export(db, ArchiveHeader.of(null, "me@h_1", "u-me", "me", "http://h:1", 2,
                "2026-01-01T00:00:00.000Z"), false, archive);
        try (LocalDatabase imported = LocalDatabase.open(dir.resolve("imported.db"))) {
            ArchiveImporter.importInto(imported, ArchiveReader.open(new ByteArrayInputStream(archive.toByteArray())),
                    EnumSet.of(ArchiveSchema.Group.chats, ArchiveSchema.Group.messages));
            for (String word : List.of("four", "edited", "quietly", "parcel")) {
                assertEquals(ids(db, word), ids(imported, word), word);
            }
            assertFound(imported, "quietly", 5L);
            intact(imported);
        }
    }

    @Test
    void aMessageRewrittenInItsOwnPageIsIndexedAsItEnds() throws Exception {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", "{}");
        engine.sync();
        // The same message twice in one page (as a re-sent reply may hold it), then a tombstone of a third one:
        // rows above the page's mark change before the page indexes them.
        db.inTransaction(tx -> {
            engine.applier().applyMessages(new StoreWriter(tx), List.of(
                    Fixtures.msg("g1", 0, 4, "u-ann", "alpha"), Fixtures.msg("g1", 0, 4, "u-ann", "beta"),
                    Fixtures.msg("g1", 0, 5, "u-ann", "gamma"), Fixtures.tombstone("g1", 0, 5, "u-ann")),
                    new ApplyStats());
            return null;
        });
        assertFound(db, "alpha");
        assertFound(db, "beta", 4L);
        assertFound(db, "gamma");
        intact(db);
        assertEquals(0L, TestDb.rows(db.file(), "SELECT above FROM message_fts_pending").size(), "the mark is gone");
    }

    /**
     * A page whose events rewrite rows indexed before it (migration 6 defers them to the page's end): a message edited
     * twice, one edited and then deleted with its sub, one deleted, and a new one edited in the same page.
     */
    @Test
    void aPageThatRewritesOldMessagesLeavesTheIndexAsItsRowsEnd() throws Exception {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", "{}");
        engine.sync();
        peer.ok("/user/update", """
                {"chats": {"events": [{"id": 11, "type": "SUB_CREATED", "chatUUID": "g1", "userUUID": "u-me",
                                       "payload": {"subID": 1, "name": "side", "type": "TEXT"}}]},
                 "messages": [{"id": 1, "chatUUID": "g1", "subID": 1, "userUUID": "u-ann", "content": "seed words"}]}""");
        engine.sync();
        assertFound(db, "seed", 1L);
        peer.ok("/user/update", """
                {"chats": {"events": [
                   {"id": 12, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                    "payload": {"messageID": 1, "subID": 0, "content": "first draft"}},
                   {"id": 13, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                    "payload": {"messageID": 1, "subID": 0, "content": "second draft"}},
                   {"id": 14, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                    "payload": {"messageID": 1, "subID": 1, "content": "doomed words"}},
                   {"id": 15, "type": "SUB_DELETED", "chatUUID": "g1", "userUUID": "u-me", "payload": {"subID": 1}},
                   {"id": 16, "type": "MESSAGE_DELETED", "chatUUID": "g1", "userUUID": "u-ann",
                    "payload": {"messageID": 2, "subID": 0}},
                   {"id": 17, "type": "MESSAGE_EDITED", "chatUUID": "g1", "userUUID": "u-ann",
                    "payload": {"messageID": 4, "subID": 0, "content": "fresher"}}]},
                 "messages": [{"id": 4, "chatUUID": "g1", "subID": 0, "userUUID": "u-ann", "content": "fresh"}]}""");
        engine.sync();
        assertFound(db, "one");
        assertFound(db, "first");
        assertFound(db, "draft", 1L);
        assertFound(db, "second", 1L);
        assertFound(db, "seed");
        assertFound(db, "doomed");
        assertFound(db, "words");
        assertFound(db, "two");
        assertFound(db, "fresh");
        assertFound(db, "fresher", 4L);
        assertFound(db, "three", 3L);
        intact(db);
        assertEquals(0, TestDb.rows(db.file(), "SELECT rowid FROM message_fts_rewrite").size(), "nothing left to rewrite");
        assertEquals(0, TestDb.rows(db.file(), "SELECT above FROM message_fts_pending").size(), "the mark is gone");
    }

    private static List<Long> ids(LocalDatabase db, String word) {
        return db.search(word, null, 10, () -> false).orElseThrow().stream().map(MessageView::id).sorted().toList();
    }

    private static void assertFound(LocalDatabase db, String word, Long... ids) {
        assertEquals(List.of(ids), ids(db, word), "search for " + word);
    }

    private static void intact(LocalDatabase db) {
        TestDb.exec(db.file(), "INSERT INTO message_fts(message_fts, rank) VALUES ('integrity-check', 1)");
    }
}
