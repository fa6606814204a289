package dev.novyse.store;

import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.ReplyTo;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.LongStream;

import static dev.novyse.store.Fixtures.chat;
import static dev.novyse.store.Fixtures.msg;
import static dev.novyse.store.Fixtures.rich;
import static dev.novyse.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ViewsTest {
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
    void windowsPageBackwardsInAscendingOrder() {
        assertEquals(LongStream.rangeClosed(201, 250).boxed().toList(),
                db.latest("big", 0, 50).stream().map(MessageView::id).toList());
        assertEquals(LongStream.rangeClosed(151, 200).boxed().toList(),
                db.before("big", 0, 201, 50).stream().map(MessageView::id).toList());
        assertEquals(List.of(1L, 2L), db.before("big", 0, 3, 50).stream().map(MessageView::id).toList());
        assertTrue(db.before("big", 0, 1, 50).isEmpty());
        assertTrue(db.latest("big", 7, 50).isEmpty());
        MessageView m = db.latest("big", 0, 1).get(0);
        assertEquals("Me", m.senderName());
        assertEquals("m250", m.content());
    }

    @Test
    void messageViewCarriesReactionsFilesReplyPinAndDeletion() {
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertMessage(rich("big", 0, 251, ANN, "look",
                    List.of(new Reaction(ANN, "👍", "t1"), new Reaction(ME, "👍", "t2"), new Reaction(ANN, "🎉", "t3")),
                    List.of(new FileRef("f1", "cat.png", "image/png", 1234L, null, null, null)),
                    List.of(), new ReplyTo("big", 0, 250L, null, null), true));
            w.deleteMessage("big", 0, 250, 9L, "t", ANN);
            return null;
        });
        List<MessageView> w = db.latest("big", 0, 2);
        MessageView deleted = w.get(0);
        assertTrue(deleted.deleted());
        assertNull(deleted.content());
        MessageView m = w.get(1);
        assertEquals(List.of(new MessageView.ReactionCount("👍", 2, true), new MessageView.ReactionCount("🎉", 1, false)),
                m.reactions());
        assertEquals(List.of(new MessageView.FileView("f1", "cat.png", 1234L, "image/png")), m.files());
        assertEquals(250, m.replyTo().messageID());
        assertTrue(m.replyTo().quoted().deleted(), "the message answered, as the store has it: deleted");
        // Read alone, out of the window of the message it answers, the reply still quotes it.
        MessageView alone = db.latest("big", 0, 1).get(0);
        assertEquals(m.replyTo(), alone.replyTo());
        assertTrue(m.pinned());
        assertEquals(1, db.pinnedMessages("big").size());
        assertEquals("look", db.pinnedMessages("big").get(0).content());
    }

    @Test
    void unreadCountsFollowTheOwnWatermarkPerSubAndIgnoreOwnMessages() {
        // 250 messages, 50 of them mine → 200 unread while nothing is read
        assertEquals(200, db.chat("big").orElseThrow().unreadCount());
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.markRead("big", 0, 240, ME, "t");
            w.markRead("big", 0, 250, ANN, "t"); // someone else's watermark does not count
            w.upsertMessage(msg("big", 2, 1, ANN, "sub message"));
            w.upsertMessage(Fixtures.tombstone("big", 2, 2, ANN));
            return null;
        });
        // 241..250 without mine (245, 250) = 8, plus the live message in sub 2
        assertEquals(9, db.chat("big").orElseThrow().unreadCount());
        db.inTransaction(tx -> {
            new StoreWriter(tx).markRead("big", 2, 1, ME, "t");
            return null;
        });
        assertEquals(8, db.chat("big").orElseThrow().unreadCount());
        assertEquals(0, db.chat("quiet").orElseThrow().unreadCount());
    }

    @Test
    void unreadCountsSearchEachSubFromTheWatermarkNotTheWholeChat() {
        // The plan, not a timing: every search of the counted messages is a primary-key range from the watermark.
        for (int recounted : new int[]{-1, 2}) {
            List<String> searches = TestDb.rows(dir.resolve("v.db"), "EXPLAIN QUERY PLAN "
                            + ViewQueries.chatsSql(null, recounted))
                    .stream().map(r -> String.valueOf(r.get(3))).filter(d -> d.startsWith("SEARCH m ")).toList();
            assertEquals(2, searches.size(), searches.toString());
            for (String d : searches) assertTrue(d.contains("(chatUUID=? AND subID=? AND id>?)"), d);
        }
    }

    @Test
    void aChatListAfterChangesCountsOnlyTheChangedChatsAndReadsTheRestAnew() {
        List<ChatSummary> previous = db.chatList(10);
        assertEquals(200, byUuid(previous, "big").unreadCount());
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertMessage(msg("big", 0, 251, ANN, "two"));
            w.upsertMessage(msg("big", 0, 252, ANN, "more"));
            w.upsertMessage(msg("dm", 0, 2, ANN, "hey @me"));
            return null;
        });
        List<ChatSummary> full = db.chatList(10);
        assertEquals(202, byUuid(full, "big").unreadCount());

        List<ChatSummary> onlyDm = db.chatList(10, previous, java.util.Set.of("dm"));
        assertEquals(full.stream().map(ChatSummary::uuid).toList(), onlyDm.stream().map(ChatSummary::uuid).toList());
        assertEquals(byUuid(full, "dm"), byUuid(onlyDm, "dm"));
        assertEquals(1, byUuid(onlyDm, "dm").mentionCount());
        // big was not named: its count is the one given, while its last message is read anew.
        assertEquals(200, byUuid(onlyDm, "big").unreadCount());
        assertEquals("more", byUuid(onlyDm, "big").lastMessagePreview());

        assertEquals(full, db.chatList(10, previous, java.util.Set.of("big", "dm")));

        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertChat(chat("new", "GROUP", "New", null, 0, List.of(ME, ANN)));
            w.upsertMessage(msg("new", 0, 1, ANN, "first"));
            return null;
        });
        // A chat the previous list did not have is counted though not named.
        assertEquals(db.chatList(10), db.chatList(10, full, java.util.Set.of()));
        assertEquals(1, byUuid(db.chatList(10, full, java.util.Set.of()), "new").unreadCount());
    }

    static ChatSummary byUuid(List<ChatSummary> list, String uuid) {
        return list.stream().filter(c -> c.uuid().equals(uuid)).findFirst().orElseThrow();
    }

    @Test
    void aSupersededSearchStopsInsideTheQueryAndTheNextOneRuns() {
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            for (long i = 1; i <= 3000; i++) w.upsertMessage(msg("quiet", 0, i, ANN, "common word " + i));
            return null;
        });
        java.util.concurrent.atomic.AtomicInteger asked = new java.util.concurrent.atomic.AtomicInteger();
        // Current when it starts, superseded from SQLite's first question on: it stops inside the query.
        assertTrue(db.search("\"common\"*", null, 100, () -> asked.incrementAndGet() > 1).isEmpty());
        assertTrue(asked.get() > 1, "SQLite asked while the query ran");
        // The handler (which now says "superseded" to every question) is gone: a long read runs to its end.
        assertEquals(250, db.latest("big", 0, 250).size());
        assertTrue(db.search("\"common\"*", null, 100, () -> true).isEmpty(), "superseded before it starts");
        List<MessageView> hits = db.search("\"common\"*", null, 100, () -> false).orElseThrow();
        assertEquals(100, hits.size());
        assertEquals("common word 3000", hits.get(0).content());
    }

    @Test
    void chatListsLastMessageIsTheNewestOfAnySub() {
        // Each sub's newest message by id, then the newest of those by time: a sub's low ids may be the newest.
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.upsertMessage(msg("big", 2, 1, ANN, "old in sub 2"));
            w.upsertMessage(msg("big", 3, 1, ANN, "in sub 3"));
            w.upsertMessage(at(msg("dm", 0, 2, ANN, "half past"), "2025-01-01T00:30:00.000Z"));
            return null;
        });
        assertEquals(List.of("dm", "big", "quiet"), db.chatList(10).stream().map(ChatSummary::uuid).toList(),
                "the DM's message (00:30) is newer than any of big's");
        assertEquals("m250", db.chatList(10).get(1).lastMessagePreview(),
                "sub 0's m250 (00:04:10) is newer than sub 2's and sub 3's first messages");
        db.inTransaction(tx -> {
            new StoreWriter(tx).upsertMessage(at(msg("big", 3, 2, ANN, "newest, in sub 3"), "2025-01-01T01:00:00.000Z"));
            return null;
        });
        List<ChatSummary> list = db.chatList(10);
        assertEquals(List.of("big", "dm", "quiet"), list.stream().map(ChatSummary::uuid).toList(),
                "big's newest message (01:00, in sub 3) puts it first");
        assertEquals("newest, in sub 3", list.get(0).lastMessagePreview());
        assertEquals("Ann", list.get(0).lastSenderName(), "m250 was mine; the newest is Ann's");
    }

    /** {@code m} created at {@code time} instead of its fixture time. */
    private static Message at(Message m, String time) {
        return new Message(m.id(), m.chatUUID(), m.subID(), m.userUUID(), m.content(), m.type(), m.systemAction(), time,
                m.edited(), m.pinned(), m.pinnedAt(), m.pinnedBy(), m.replyTos(), m.files(), m.reads(), m.reactions(),
                m.deleted(), m.tempId());
    }

    @Test
    void chatListPutsPinnedFirstThenLatestActivityAndNamesDms() {
        db.inTransaction(tx -> new StoreWriter(tx).account().pinChat("quiet", 0));
        List<ChatSummary> list = db.chatList(10);
        assertEquals(List.of("quiet", "big", "dm"), list.stream().map(ChatSummary::uuid).toList());
        assertEquals(0, list.get(0).pinnedPosition());
        ChatSummary big = list.get(1);
        assertEquals("m250", big.lastMessagePreview());
        assertEquals("Me", big.lastSenderName());
        ChatSummary dm = list.get(2);
        assertNull(dm.name());
        assertEquals("Ann", dm.title());
        assertEquals(1, dm.unreadCount());
        assertEquals(2, db.chatList(2).size());
    }

    @Test
    void findChatsByUuidHandleOrNameCaseInsensitively() {
        assertEquals(List.of("big"), ids(db.findChats("big")));
        assertEquals(List.of("big"), ids(db.findChats("@BigRoom")));
        assertEquals(List.of("big"), ids(db.findChats("big room")));
        assertTrue(db.findChats("nothing").isEmpty());
        db.inTransaction(tx -> {
            new StoreWriter(tx).upsertChat(chat("big2", "GROUP", "BIG ROOM", null, 0, List.of(ME)));
            return null;
        });
        assertEquals(List.of("big", "big2"), ids(db.findChats("Big Room")).stream().sorted().toList());
    }

    @Test
    void membersSubsUsersAndCursors() {
        assertEquals(List.of("Ann", "Me"), db.members("big").stream().map(MemberView::name).toList());
        assertEquals(List.of(0), db.members("big").get(0).roleIDs());
        assertEquals("general", db.subs("big").get(0).name());
        assertEquals("ann", db.user(ANN).orElseThrow().handle());
        assertTrue(db.user("nobody").isEmpty());
        assertEquals(250, db.subCursors("big").get(0).messageID());
        var req = db.updateRequest();
        assertEquals(List.of("big", "dm", "quiet"), req.chats().stream().map(c -> c.chatUUID()).toList());
        assertTrue(req.chats().get(2).subs().isEmpty());
    }

    private static List<String> ids(List<ChatSummary> l) {
        return l.stream().map(ChatSummary::uuid).toList();
    }
}
