package dev.novyse.state;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static dev.novyse.store.Fixtures.chat;
import static dev.novyse.store.Fixtures.msg;
import static dev.novyse.store.Fixtures.user;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat screen's first frame counts unread messages in the chats a screen shows only; the rest of the list is
 * counted in the driver's next pass. Both steps must end at exactly what a full count gives.
 */
class FirstScreenCountsTest {
    static final String ME = "u-me";
    static final String ANN = "u-ann";
    static final int CHATS = StateDriver.FIRST_SCREEN_ROWS + 10;

    @TempDir
    Path dir;
    LocalDatabase db;

    @BeforeEach
    void setUp() {
        db = LocalDatabase.open(dir.resolve("s.db"));
        db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            w.setState(StoreWriter.ACCOUNT_USER_UUID, ME);
            w.upsertUser(user(ME, "Me", 1));
            w.upsertUser(user(ANN, "Ann", 1));
            for (int c = 0; c < CHATS; c++) {
                String uuid = "chat-" + c;
                w.upsertChat(chat(uuid, "GROUP", "Room " + c, null, 0, List.of(ME, ANN)));
                // Chat c has c % 7 + 1 unread messages from Ann, one of them naming nobody, the last from the account.
                for (int i = 1; i <= c % 7 + 1; i++) w.upsertMessage(msg(uuid, 0, i, ANN, i == 2 ? "hey @me" : "m" + i));
                w.upsertMessage(msg(uuid, 0, c % 7 + 2, ME, "mine"));
            }
            return null;
        });
    }

    @AfterEach
    void tearDown() {
        db.close();
    }

    @Test
    void theFirstRowsAreCountedAndTheRestLeftForLaterInTheSameOrder() {
        List<ChatSummary> full = db.chatList(StateDriver.CHAT_LIMIT);
        List<ChatSummary> first = db.chatListCountingFirst(StateDriver.CHAT_LIMIT, StateDriver.FIRST_SCREEN_ROWS);
        assertEquals(CHATS, full.size());
        assertEquals(full.stream().map(ChatSummary::uuid).toList(), first.stream().map(ChatSummary::uuid).toList());
        for (int i = 0; i < CHATS; i++) {
            ChatSummary f = full.get(i);
            ChatSummary c = first.get(i);
            assertTrue(f.unreadCount() > 0, "every chat has something unread: " + f);
            if (i < StateDriver.FIRST_SCREEN_ROWS) {
                assertEquals(f.unreadCount(), c.unreadCount(), f.uuid());
                assertEquals(f.mentionCount(), c.mentionCount(), f.uuid());
            } else {
                assertEquals(-1, c.unreadCount(), c.uuid());
                assertEquals(-1, c.mentionCount(), c.uuid());
            }
        }
        // A list no longer than the first screen is counted whole at once.
        List<ChatSummary> shortList = db.chatListCountingFirst(StateDriver.CHAT_LIMIT, CHATS);
        assertEquals(full.stream().map(ChatSummary::unreadCount).toList(), shortList.stream().map(ChatSummary::unreadCount).toList());
    }

    @Test
    void theDriverCountsTheRestOnceTheFirstFrameIsShown() throws Exception {
        List<ChatSummary> full = db.chatList(StateDriver.CHAT_LIMIT);
        StateBus bus = new StateBus();
        CompletableFuture<List<ChatSummary>> counted = new CompletableFuture<>();
        CompletableFuture<List<ChatSummary>> firstState = new CompletableFuture<>();
        bus.subscribe(s -> {
            if (s.chats().isEmpty()) return;
            firstState.complete(s.chats());
            if (s.chats().stream().allMatch(c -> c.unreadCount() >= 0)) counted.complete(s.chats());
        });
        StateDriver driver = new StateDriver(db, bus, (chat, sub, before, limit) -> 0);
        try {
            driver.start("me@test");
            List<ChatSummary> shown = firstState.get(30, TimeUnit.SECONDS);
            assertEquals(CHATS, shown.size());
            assertTrue(shown.stream().limit(StateDriver.FIRST_SCREEN_ROWS).allMatch(c -> c.unreadCount() > 0), "first screen counted");
            assertTrue(shown.stream().skip(StateDriver.FIRST_SCREEN_ROWS).allMatch(c -> c.unreadCount() < 0), "the rest not yet");
            driver.shown();
            List<ChatSummary> all = counted.get(30, TimeUnit.SECONDS);
            assertEquals(full.stream().map(c -> c.uuid() + "/" + c.unreadCount() + "/" + c.mentionCount()).toList(),
                    all.stream().map(c -> c.uuid() + "/" + c.unreadCount() + "/" + c.mentionCount()).toList());
        } finally {
            driver.close();
        }
    }
}
