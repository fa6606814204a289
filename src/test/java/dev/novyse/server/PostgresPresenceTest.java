package dev.novyse.server;

import dev.novyse.server.db.PostgresUrl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Presence across server processes ({@link ProcessPresence}): three stores on one PostgreSQL database stand for three
 * processes. A user is online from their first connection on any process to their last one anywhere, whichever
 * process sees which; a process that stops leaves its users to the others, and one of them announces offline those
 * with no connection left anywhere. (A process killed without a word: TwoProcessServerE2eTest.)
 */
class PostgresPresenceTest {
    private final List<ServerDatabase> stores = new ArrayList<>();

    @AfterEach
    void tearDown() {
        stores.forEach(ServerDatabase::close);
    }

    private ServerDatabase process(PostgresUrl url, LinkedBlockingQueue<List<String>> reaped) {
        ServerDatabase db = ServerDatabase.open(url);
        stores.add(db);
        db.deliverTo((to, event, payload) -> { });
        db.whenLeftOffline(reaped::add);
        return db;
    }

    @Test
    void aUserIsOnlineFromTheirFirstConnectionAnywhereToTheirLastOne() throws Exception {
        PostgresUrl url = TestDatabases.create("presence_" + ProcessHandle.current().pid());
        LinkedBlockingQueue<List<String>> reapedByA = new LinkedBlockingQueue<>();
        LinkedBlockingQueue<List<String>> reapedByOthers = new LinkedBlockingQueue<>();
        ServerDatabase a = process(url, reapedByA);
        ServerDatabase b = process(url, reapedByOthers);
        ServerDatabase c = process(url, reapedByOthers);

        // a phone on a, then a laptop on b: one "online"; the phone goes while the laptop stays: no "offline"
        assertTrue(a.presenceChanges("ann", true), "ann's first connection anywhere");
        assertFalse(b.presenceChanges("ann", true), "ann is online already, on a");
        assertFalse(a.presenceChanges("ann", false), "ann is still online, on b");
        assertTrue(b.presenceChanges("ann", false), "ann's last connection anywhere");
        assertTrue(c.presenceChanges("ann", true), "ann back, on c");
        assertTrue(c.presenceChanges("ann", false), "and gone");

        // a stops with bob (also on c) and carl (only on a) connected: another process announces carl offline
        assertTrue(a.presenceChanges("bob", true));
        assertFalse(c.presenceChanges("bob", true));
        assertTrue(a.presenceChanges("carl", true));
        a.close();
        stores.remove(a);
        List<String> left = reapedByOthers.poll(30, TimeUnit.SECONDS);
        assertEquals(List.of("carl"), left, "only the user with no connection left anywhere");
        assertTrue(c.presenceChanges("bob", false), "bob's connection on c was his last one");
        assertTrue(reapedByA.isEmpty(), "a stopped: it announces nothing");
        // b and c both look for stopped processes every beat: a's users are announced by one of them, once
        Thread.sleep(ProcessPresence.BEAT.toMillis() * 2);
        assertTrue(reapedByOthers.isEmpty(), "carl announced once: " + reapedByOthers);
    }
}
