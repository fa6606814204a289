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

    @Test
    void hasMoreWithoutProgressStops() {
        peer.ok("/user/initialize", SyncFixtures.INITIALIZE);
        for (int i = 0; i < 10; i++) peer.ok("/user/update", "{\"hasMore\":true}");
        ApiException e = assertThrows(ApiException.class, engine::sync);
        assertTrue(e.getMessage().contains("hasMore"), e.getMessage());
    }
}
