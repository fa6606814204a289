package dev.novyse.server;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sync pages take turns: half the cores' worth at once, the others wait in arrival order, a failure frees its turn. */
class PageTurnsTest {
    /** A thread per request, as Jetty gives each its own: a pool smaller than the test's requests would queue them. */
    private final java.util.concurrent.ExecutorService requests = java.util.concurrent.Executors.newCachedThreadPool();

    @org.junit.jupiter.api.AfterEach
    void stop() {
        requests.shutdownNow();
    }

    @Test
    void onTwoCoresOnePageAtATimeInArrivalOrder() throws Exception {
        PageTurns turns = new PageTurns(2);
        List<String> ran = new CopyOnWriteArrayList<>();
        CountDownLatch inFirst = new CountDownLatch(1);
        CountDownLatch finishFirst = new CountDownLatch(1);
        CompletableFuture<Void> first = CompletableFuture.runAsync(() -> take(turns, () -> {
            ran.add("first");
            inFirst.countDown();
            finishFirst.await();
        }), requests);
        assertTrue(inFirst.await(10, TimeUnit.SECONDS));
        CompletableFuture<Void> second = CompletableFuture.runAsync(() -> take(turns, () -> ran.add("second")), requests);
        await(() -> turns.waiting() == 1);
        CompletableFuture<Void> third = CompletableFuture.runAsync(() -> take(turns, () -> ran.add("third")), requests);
        await(() -> turns.waiting() == 2);
        assertEquals(List.of("first"), ran, "the others wait while a page is made");
        finishFirst.countDown();
        CompletableFuture.allOf(first, second, third).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("first", "second", "third"), ran, "in arrival order");
    }

    @Test
    void aFailingPageGivesItsTurnBack() throws Exception {
        PageTurns turns = new PageTurns(1);
        assertThrows(IllegalStateException.class, () -> turns.take(() -> {
            throw new IllegalStateException("the database went away");
        }));
        List<String> ran = new CopyOnWriteArrayList<>();
        CompletableFuture.runAsync(() -> take(turns, () -> ran.add("next")), requests).get(10, TimeUnit.SECONDS);
        assertEquals(List.of("next"), ran);
    }

    private static void take(PageTurns turns, PageTurns.Work work) {
        try {
            turns.take(work);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(java.util.function.BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not reached in 10 s");
            Thread.sleep(5);
        }
    }
}
