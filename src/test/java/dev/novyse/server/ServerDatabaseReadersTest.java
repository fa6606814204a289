package dev.novyse.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads on connections of their own: a read in progress does not hold up a write, it sees one snapshot from its
 * first query to its end, and a read inside a write sees that write's own rows.
 */
class ServerDatabaseReadersTest {
    @TempDir
    Path dir;
    ServerDatabase db;

    @BeforeEach
    void open() {
        db = ServerDatabase.open(dir.resolve("server.db"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    private long settings() {
        return db.read(c -> ServerDatabase.queryLong(c, "SELECT count(*) FROM settings"));
    }

    private void insertSetting(String key) {
        db.write(c -> ServerDatabase.update(c, "INSERT INTO settings(user_uuid, key, value) VALUES ('u', ?, 'v')", key));
    }

    @Test
    void aWriteCommitsWhileAReadIsInProgressAndTheReadKeepsItsSnapshot() throws Exception {
        CountDownLatch reading = new CountDownLatch(1);
        CountDownLatch written = new CountDownLatch(1);
        java.util.concurrent.ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
        CompletableFuture<long[]> seen = CompletableFuture.supplyAsync(() -> db.read(c -> {
            long before = ServerDatabase.queryLong(c, "SELECT count(*) FROM settings");
            reading.countDown();
            try {
                assertTrue(written.await(30, TimeUnit.SECONDS), "the write went through while this read was open");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return new long[]{before, ServerDatabase.queryLong(c, "SELECT count(*) FROM settings")};
        }), reader);
        assertTrue(reading.await(30, TimeUnit.SECONDS));
        insertSetting("a"); // with reads on the writer's connection this waited for the read: a deadlock here
        written.countDown();
        long[] counts = seen.get(30, TimeUnit.SECONDS);
        assertEquals(0, counts[0]);
        assertEquals(0, counts[1], "the open read still sees the snapshot it began with");
        assertEquals(1, settings(), "a read begun after the commit sees it");
        reader.shutdown();
    }

    @Test
    void aReadInsideAWriteSeesThatWritesRows() {
        long inside = db.write(c -> {
            ServerDatabase.update(c, "INSERT INTO settings(user_uuid, key, value) VALUES ('u', 'k', 'v')");
            return settings();
        });
        assertEquals(1, inside);
    }

    @Test
    void aReadCannotWriteAndItsConnectionServesTheNextRead() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> db.read(c ->
                ServerDatabase.update(c, "INSERT INTO settings(user_uuid, key, value) VALUES ('u', 'k', 'v')")));
        assertTrue(e.getMessage().contains("readonly"), e.getMessage());
        insertSetting("b");
        assertEquals(1, settings());
    }

    @Test
    void manyReadsAtOnceShareTheReadersAndAllAnswer() throws Exception {
        insertSetting("c");
        int n = dev.novyse.server.db.SqliteEngine.READERS * 4;
        java.util.concurrent.ExecutorService threads = java.util.concurrent.Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            java.util.List<java.util.concurrent.Future<Long>> reads = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                reads.add(threads.submit(() -> {
                    start.await();
                    return settings();
                }));
            }
            start.countDown();
            for (var r : reads) assertEquals(1L, r.get(30, TimeUnit.SECONDS));
        } finally {
            threads.shutdownNow();
        }
    }
}
