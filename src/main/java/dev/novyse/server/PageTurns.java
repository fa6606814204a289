package dev.novyse.server;

import java.util.concurrent.Semaphore;

/**
 * Sync pages ({@code /user/initialize}, {@code /user/update}) are the server's bulk work: a page of 5,000 messages is
 * tens of milliseconds of CPU to read and serialise. They take turns, at most half the cores' worth at once (one on
 * two cores), in arrival order, so that a burst of clients syncing (every client after a restart, a few first syncs
 * of 100k messages) leaves the other half of the machine to sends, live frames and every other request, which would
 * otherwise share the cores with one page-producing thread per syncing client (ReadLoadBenchmark).
 */
final class PageTurns {
    /** A request's work that may throw what a handler may. */
    interface Work {
        void run() throws Exception;
    }

    private final Semaphore turns;

    PageTurns(int cores) {
        this.turns = new Semaphore(Math.max(1, cores / 2), true);
    }

    /** Requests waiting for their turn now. */
    int waiting() {
        return turns.getQueueLength();
    }

    /** Runs {@code work} in its turn; the reply's bytes are made inside it, their sending after it. */
    void take(Work work) throws Exception {
        turns.acquire();
        try {
            work.run();
        } finally {
            turns.release();
        }
    }
}
