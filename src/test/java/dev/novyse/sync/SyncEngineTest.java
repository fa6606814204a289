package dev.novyse.sync;

import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.TestDb;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SyncEngineTest {
    @TempDir
    Path dir;
    FakePeer peer;
    LocalDatabase db;
    SyncEngine engine;

    @BeforeEach
    void start() throws Exception {
        peer = new FakePeer();
        db = LocalDatabase.open(dir.resolve("e.db"));
        engine = new SyncEngine(new ApiClient(peer.uri(), TokenProvider.fixed("t")), db, 100);
    }

    @AfterEach
    void stop() {
        db.close();
        peer.close();
    }

    static String page(long from, long to, boolean more) {
        StringBuilder sb = new StringBuilder("{\"messages\":[");
        for (long i = from; i <= to; i++) {
            if (i > from) sb.append(',');
            sb.append("{\"id\":").append(i).append(",\"chatUUID\":\"g1\",\"subID\":0,\"userUUID\":\"u-ann\",")
                    .append("\"content\":\"m").append(i).append("\",\"created_at\":\"2025-01-02T00:00:00Z\"}");
        }
        return sb.append("]").append(more ? ",\"hasMore\":true}" : "}").toString();
    }

    @Test
    void initializeThenPagesUntilNoMoreWithCursorsFromTheDatabase() throws Exception {
        String init = SyncFixtures.INITIALIZE.trim();
        peer.ok("/user/initialize", init.substring(0, init.length() - 1) + ",\"hasMore\":true}");
        peer.ok("/user/update", page(4, 5, true));
        peer.ok("/user/update", page(6, 6, false));
        SyncResult r = engine.sync();
        assertTrue(r.initialized());
        assertEquals(3, r.pages());
        assertEquals(6, r.messages());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L), db.latest("g1", 0, 10).stream().map(m -> m.id()).toList());
        assertEquals("limit=100", peer.seen.get(0).query());
        UpdateRequest second = Json.mapper().readValue(peer.seen.get(2).body(), UpdateRequest.class);
        assertEquals(5, second.chats().get(0).subs().get(0).messageID());
        assertEquals(10, second.chats().get(0).eventID());
        assertEquals(3, second.local().eventID());
        assertTrue(second.users().stream().anyMatch(u -> u.userUUID().equals("u-ann") && u.profileEventID() == 4));

        // the next sync is a plain update
        peer.ok("/user/update", SyncFixtures.UPDATE);
        SyncResult again = engine.sync();
        assertFalse(again.initialized());
        assertEquals(1, again.pages());
        assertEquals(2, again.skippedUnknownEvents());
        assertEquals("Garden 2", db.chat("g1").orElseThrow().name());
    }

    @Test
    void badRepliesLeaveTheDatabaseUntouched() {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", "{}");
        engine.sync();
        String before = TestDb.dump(db.file());
        String[][] faults = {
                {"200", "application/json", "garbage"},
                {"200", "application/json", "{\"success\":true,\"data\":{\"messages\":[{\"id\":7,\"chatUUID\":\"g1\""},
                {"502", "text/html", "<html>502 Bad Gateway</html>"},
                {"403", "application/json", "{\"success\":false,\"error\":\"FORBIDDEN\",\"message\":\"No.\"}"},
                {"200", "application/json", "{\"success\":true,\"data\":{\"chats\":{\"events\":{\"id\":1}}}}"},
                // valid JSON whose content breaks the apply (a message of an unknown chat): rolled back
                {"200", "application/json", "{\"success\":true,\"data\":" + page(4, 5, false).replace(
                        "\"id\":5,\"chatUUID\":\"g1\"", "\"id\":5,\"chatUUID\":\"zz\"") + "}"},
        };
        for (String[] f : faults) {
            peer.on("/user/update", Integer.parseInt(f[0]), f[1], f[2]);
            RuntimeException e = assertThrows(RuntimeException.class, engine::sync, f[2]);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            assertEquals(before, TestDb.dump(db.file()), f[2]);
        }
    }

    @Test
    void aFailedSecondPageKeepsTheFirst() {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", page(4, 5, true));
        peer.on("/user/update", 200, "{\"success\":true,\"data\":{\"messages\":[");
        ApiException e = assertThrows(ApiException.class, engine::sync);
        assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
        assertTrue(db.isInitialized());
        assertEquals(5, db.subCursors("g1").get(0).messageID());
        // the next run resumes from the committed cursor
        peer.ok("/user/update", page(6, 6, false));
        assertEquals(1, engine.sync().messages());
        UpdateRequest last = SyncFixtures.parse(peer.seen.get(peer.seen.size() - 1).body(), UpdateRequest.class);
        assertEquals(5, last.chats().get(0).subs().get(0).messageID());
    }

    @Test
    void aFailedInitializeLeavesNothing() {
        String before = TestDb.dump(db.file());
        peer.ok("/user/initialize", "{\"local\":{}}");
        ApiException e = assertThrows(ApiException.class, engine::sync);
        assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
        assertFalse(db.isInitialized());
        assertEquals(before, TestDb.dump(db.file()));
    }

    static boolean fetcherAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("novyse-sync-fetch") && t.isAlive());
    }

    /** No fetcher thread outlives a sync (it is shut down in a finally; give it a moment to wind down). */
    static void assertNoFetcherLeft() throws InterruptedException {
        for (int i = 0; i < 100 && fetcherAlive(); i++) Thread.sleep(20);
        assertFalse(fetcherAlive(), "a fetcher thread outlived the sync");
    }

    @Test
    void theNextPageIsFetchedWhileThisOneIsApplied() throws Exception {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", page(4, 5, true));
        peer.ok("/user/update", page(6, 7, false));
        java.util.concurrent.atomic.AtomicBoolean overlapped = new java.util.concurrent.atomic.AtomicBoolean();
        int[] pages = {0};
        engine.applier().setHook(step -> {
            // inside the first update page's transaction: wait until the second update request has reached the peer
            if (step.equals("messages") && ++pages[0] == 2) {
                long deadline = System.currentTimeMillis() + 5000;
                while (updateRequests(peer) < 2
                        && System.currentTimeMillis() < deadline) {
                    Thread.onSpinWait();
                }
                overlapped.set(updateRequests(peer) >= 2);
            }
        });
        SyncResult r = engine.sync();
        assertTrue(overlapped.get(), "page 2 was not requested while page 1 was being applied");
        assertEquals(3, r.pages());
        assertEquals(7, db.subCursors("g1").get(0).messageID());
        UpdateRequest second = SyncFixtures.parse(peer.seen.get(2).body(), UpdateRequest.class);
        assertEquals(5, second.chats().get(0).subs().get(0).messageID()); // asked with page 1's cursors
        assertNoFetcherLeft();
    }

    @Test
    void aFailedApplyOfPageKLeavesPageKMinus1AndDropsThePrefetchedPage() throws Exception {
        // the reference: the same first pages, ending there
        Path refFile = dir.resolve("ref.db");
        try (FakePeer refPeer = new FakePeer(); LocalDatabase ref = LocalDatabase.open(refFile)) {
            refPeer.ok("/user/initialize", SyncFixtures.INITIALIZE);
            refPeer.ok("/user/update", page(4, 5, true));
            refPeer.ok("/user/update", page(6, 7, false));
            new SyncEngine(new ApiClient(refPeer.uri(), TokenProvider.fixed("t")), ref, 100).sync();
        }
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", page(4, 5, true));
        peer.ok("/user/update", page(6, 7, true));
        peer.ok("/user/update", page(8, 9, true));
        peer.ok("/user/update", page(10, 11, false));
        int[] pagesApplied = {0};
        engine.applier().setHook(step -> {
            if (step.equals("messages") && ++pagesApplied[0] == 4) throw new IllegalStateException("disk on fire");
        });
        IllegalStateException e = assertThrows(IllegalStateException.class, engine::sync);
        assertEquals("disk on fire", e.getMessage());
        assertEquals(TestDb.dump(refFile), TestDb.dump(db.file()));
        assertNoFetcherLeft();
        // the page fetched ahead (10..11) was never applied; the next run asks again from the committed cursors
        engine.applier().setHook(null);
        peer.clear("/user/update"); // whether the fetch ahead got its reply before it was cancelled is a race
        peer.ok("/user/update", page(8, 9, true));
        peer.ok("/user/update", page(10, 11, false));
        assertEquals(4, engine.sync().messages());
        UpdateRequest resumed = SyncFixtures.parse(peer.seen.get(peer.seen.size() - 2).body(), UpdateRequest.class);
        assertEquals(7, resumed.chats().get(0).subs().get(0).messageID());
        assertEquals(11, db.subCursors("g1").get(0).messageID());
        assertNoFetcherLeft();
    }

    @Test
    void aFailedFetchAheadSurfacesAfterTheCurrentPageCommits() throws Exception {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        peer.ok("/user/update", page(4, 5, true));
        peer.on("/user/update", 503, "text/plain", "overloaded");
        ApiException e = assertThrows(ApiException.class, engine::sync);
        assertEquals(503, e.status());
        assertEquals(5, db.subCursors("g1").get(0).messageID());
        assertNoFetcherLeft();
    }

    @Test
    void hasMoreWithoutProgressStops() {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        for (int i = 0; i < 10; i++) peer.ok("/user/update", "{\"hasMore\":true}");
        ApiException e = assertThrows(ApiException.class, engine::sync);
        assertTrue(e.getMessage().contains("hasMore"), e.getMessage());
        // it stops without asking for more than it applies: the initialize and three idle pages
        assertEquals(4, peer.seen.size());
    }

    /** The peer records requests on its own threads: count under the list's lock. */
    private static long updateRequests(FakePeer peer) {
        synchronized (peer.seen) {
            return peer.seen.stream().filter(s -> s.path().equals("/user/update")).count();
        }
    }
}
