package dev.novyse.state;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StateBusTest {
    @Test
    void subscribersGetTheCurrentSnapshotThenOnePerChange() throws Exception {
        StateBus bus = new StateBus();
        List<AppState> seen = new ArrayList<>();
        AutoCloseable handle = bus.subscribe(seen::add);
        bus.update(s -> s.withConnection(AppState.Connection.SYNCING));
        bus.update(s -> s.withOutbox(2, 0));
        bus.update(s -> s); // no change, no snapshot
        handle.close();
        bus.update(s -> s.withConnection(AppState.Connection.LIVE));
        assertEquals(List.of(0L, 1L, 2L), seen.stream().map(AppState::version).toList());
        assertEquals(AppState.Connection.SYNCING, seen.get(1).connection());
        assertEquals(2, seen.get(2).outboxSize());
        assertEquals(AppState.Connection.LIVE, bus.current().connection());
    }

    @Test
    void snapshotsAreImmutable() {
        AppState s = AppState.empty().withTyping(Map.of("c", Set.of("u")));
        assertThrows(UnsupportedOperationException.class, () -> s.typing().put("d", Set.of()));
        assertThrows(UnsupportedOperationException.class, () -> s.chats().add(null));
        AppState before = s;
        AppState after = s.withOutbox(5, 0);
        assertEquals(0, before.outboxSize());
        assertEquals(5, after.outboxSize());
    }

    @Test
    void concurrentChangesAreNeitherLostNorReordered() throws Exception {
        StateBus bus = new StateBus();
        List<Long> versions = new ArrayList<>();
        bus.subscribe(s -> versions.add(s.version()));
        int threads = 8;
        int perThread = 500;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch go = new CountDownLatch(1);
        for (int t = 0; t < threads; t++) {
            pool.submit(() -> {
                go.await();
                for (int i = 0; i < perThread; i++) {
                    bus.update(s -> s.withOutbox(s.outboxSize() + 1, 0));
                }
                return null;
            });
        }
        go.countDown();
        pool.shutdown();
        assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        assertEquals(threads * perThread, bus.current().outboxSize(), "no lost update");
        assertEquals(threads * perThread + 1, versions.size());
        for (int i = 0; i < versions.size(); i++) {
            assertEquals(i, versions.get(i), "subscribers see versions in order");
        }
        assertSame(bus.current(), bus.current());
    }
}
