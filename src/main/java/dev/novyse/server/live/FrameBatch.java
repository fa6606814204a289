package dev.novyse.server.live;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Websocket frames a live sender thread wrote but has not flushed yet. A fan-out writes one frame to each of many
 * sockets, one system call each (on loopback about 7 of the server's 15–21 µs per delivery, FanoutBenchmark);
 * when events queue up faster than they go out, the frames each socket gets from several of them are written together
 * instead: Jetty keeps batched frames in the connection's buffer until the {@link #flush}. Only a sender thread has a
 * batch ({@link #current}); frames from any other thread (pings, replies, presence) are written at once, and Jetty
 * writes whatever a socket had batched before them, so per socket the order is kept.
 */
final class FrameBatch {
    private static final ThreadLocal<FrameBatch> CURRENT = new ThreadLocal<>();

    private static final int MAX_DEFERRED = 32;

    private final Set<CoreSession> pending = new LinkedHashSet<>();
    private int deferred;
    private boolean collecting;

    /** The calling sender thread's batch while it is {@link #collecting}, else null (frames go out at once). */
    static FrameBatch current() {
        FrameBatch b = CURRENT.get();
        return b != null && b.collecting ? b : null;
    }

    /**
     * Whether the frames written from now on wait for the {@link #flush}: only while more work is queued for this
     * thread. Alone, a batched frame costs Jetty two passes (the frame, then the flush) for the same one write.
     */
    void collect(boolean moreQueued) {
        collecting = moreQueued;
    }

    /** Makes this the calling thread's batch (a sender thread's, for its life). */
    void bind() {
        CURRENT.set(this);
    }

    /** Queues a frame for {@code session}; it goes out at the next {@link #flush}. */
    void add(CoreSession session, org.eclipse.jetty.websocket.core.Frame frame) {
        session.sendFrame(frame, Callback.NOOP, true);
        pending.add(session);
    }

    /**
     * Writes every socket's batched frames, unless {@code more} work is waiting for this thread and fewer than
     * {@link #MAX_DEFERRED} calls were put off before: a frame waits at most that many events.
     */
    void flushUnless(boolean more) {
        if (more && ++deferred < MAX_DEFERRED) return;
        deferred = 0;
        flush();
    }

    /** Writes every socket's batched frames. */
    void flush() {
        for (CoreSession s : pending) {
            try {
                s.flush(Callback.NOOP);
            } catch (RuntimeException closed) {
                // a socket that closed meanwhile has nothing left to write
            }
        }
        pending.clear();
    }
}
