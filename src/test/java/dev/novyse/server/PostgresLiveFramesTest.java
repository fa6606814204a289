package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.db.PostgresUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Live events across processes ({@link LiveFrames}) with writers that commit out of order: three stores on one
 * PostgreSQL database stand for three server processes, each delivering to a recording feed. A transaction takes chat
 * X's next number and stays open; meanwhile another process commits in chat Y, and a third one's event in X waits for
 * the first to commit. Every process delivers X's events in number order and Y's, each once; a frame too large for
 * its notification arrives too (read back from the table).
 */
class PostgresLiveFramesTest {
    private final List<ServerDatabase> stores = new ArrayList<>();

    @AfterEach
    void tearDown() {
        stores.forEach(ServerDatabase::close);
    }

    private static final class Recording {
        final List<String> seen = Collections.synchronizedList(new ArrayList<>());

        void take(String event, Object payload) {
            JsonNode p = Json.mapper().valueToTree(payload);
            seen.add(event + " " + p.path("n").asInt());
        }

        List<String> of(String event) {
            synchronized (seen) {
                return seen.stream().filter(s -> s.startsWith(event + " ")).toList();
            }
        }
    }

    private static void announce(ServerDatabase db, String chat, String event, int n) {
        db.announce(Announcement.inChat(chat, List.of("u"), event, Json.mapper().createObjectNode().put("n", n)));
    }

    @Test
    void eachProcessDeliversEachChatsEventsInCommitOrderOnceWhateverOrderWritersCommitIn() throws Exception {
        PostgresUrl url = TestDatabases.create("live_frames_" + ProcessHandle.current().pid());
        List<Recording> recordings = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ServerDatabase db = ServerDatabase.open(url);
            stores.add(db);
            Recording r = new Recording();
            recordings.add(r);
            db.deliverTo((to, event, payload) -> r.take(event, payload));
        }
        ServerDatabase one = stores.get(0);
        ServerDatabase two = stores.get(1);
        ServerDatabase three = stores.get(2);

        CountDownLatch numbered = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> one.write(c -> {
            announce(one, "X", "x", 1);
            numbered.countDown();
            try {
                commit.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return null;
        }));
        numbered.await();
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> two.write(c -> {
            announce(two, "X", "x", 2); // waits here for X's counter row until the first commits
            return null;
        }));
        three.write(c -> {
            announce(three, "Y", "y", 1); // another chat: commits while the first is still open
            return null;
        });
        for (Recording r : recordings) await(() -> r.of("y").size() == 1, "y reached every process");
        assertFalse(second.isDone(), "the second event of X waits for the first's commit");
        commit.countDown();
        first.get(30, TimeUnit.SECONDS);
        second.get(30, TimeUnit.SECONDS);

        for (Recording r : recordings) {
            await(() -> r.of("x").size() >= 2, "x reached every process");
            assertEquals(List.of("x 1", "x 2"), r.of("x"), "in commit order, each once");
            assertEquals(List.of("y 1"), r.of("y"));
        }
        // A frame too large to ride in its notification is read back from the table by the other processes.
        one.write(c -> {
            one.announce(Announcement.inChat("Z", List.of("u"), "z",
                    Json.mapper().createObjectNode().put("n", 1).put("text", "x".repeat(LiveFrames.NOTIFY_LIMIT))));
            return null;
        });
        for (Recording r : recordings) await(() -> r.of("z").size() == 1, "the large frame reached every process");
        // A later sweep finds nothing new: still each once.
        Thread.sleep(LiveFrames.SWEEP.toMillis() + 500);
        for (Recording r : recordings) assertEquals(4, r.seen.size(), "nothing delivered twice: " + r.seen);
    }

    private static void await(java.util.function.BooleanSupplier done, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached in 30 s: " + what);
            Thread.sleep(10);
        }
    }
}
