package dev.novyse.sync;

import dev.novyse.store.LocalDatabase;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The live channel of one account: keeps the local database current between syncs over a Socket.IO connection,
 * and publishes every change, after it committed, as a {@link ChannelEvent} to any number of subscribers.
 *
 * <p>It coordinates two parts: the {@link LiveConnection} (the socket: connecting, tokens, reconnecting, probing)
 * and the {@link LiveApplier} (the one worker thread that applies what arrives, subscribe-then-fetch:
 * docs/architecture.md#invariant-4). A stop, whoever causes it (a {@link #close()}, a session the server ended),
 * goes through {@link #stop} here, once.
 *
 * <h2>Threads</h2>
 * Subscribers are called on the channel's worker thread, one event at a time, in the order the changes committed;
 * for each event, in the order they subscribed. They must not block for long (a slow subscriber delays the channel,
 * never loses an event) and must not call {@link #close()} expecting it to wait for them. A subscriber that throws
 * is skipped for that event; the channel and the other subscribers go on. Subscribe before {@link #start()} to see
 * every event; {@link ChannelEvent.Stopped} is the last one, published once.
 */
public final class LiveChannel implements AutoCloseable {
    public enum Status { CONNECTING, SYNCING, CONNECTED, DISCONNECTED, STOPPED }

    /** Where a reported message came from: its own live event, or a sync (catch-up after a reconnect or a gap). */
    public enum Source { LIVE, SYNC }

    /** What the channel did so far (for status lines and tests). */
    public record Stats(long events, long applied, long duplicates, long gaps, long dropped, long ignored,
                        long syncs, long failedSyncs, long connects) {
    }

    /** Ends a subscription; closing it twice is harmless. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Tuning; {@link #defaults()} suits interactive use, tests shorten the timings. {@code resyncEvery}: the longest
     * a connected channel goes without a sync, however busy it is (a lost event that nothing later reveals as a gap,
     * such as the newest message of a chat, is fetched by then).
     */
    public record Options(List<String> transports, Duration reconnectDelay, Duration reconnectDelayMax, double jitter,
                          int maxAuthFailures, Duration connectTimeout, Duration staleAfter, Duration probeTimeout,
                          Duration tick, Duration clockJump, Clock wallClock, Duration resyncEvery) {
        public Options {
            transports = List.copyOf(transports);
            Objects.requireNonNull(wallClock);
            Objects.requireNonNull(resyncEvery);
            if (jitter < 0 || jitter >= 1) throw new IllegalArgumentException("jitter must be in [0, 1)");
            if (maxAuthFailures < 1) throw new IllegalArgumentException("maxAuthFailures must be at least 1");
        }

        public static Options defaults() {
            return new Options(List.of("websocket", "polling"), Duration.ofSeconds(1), Duration.ofSeconds(30), 0.5, 4,
                    Duration.ofSeconds(20), Duration.ofMinutes(2), Duration.ofSeconds(20), Duration.ofSeconds(2),
                    Duration.ofSeconds(15), Clock.systemUTC(), Duration.ofMinutes(5));
        }

        public Options withTransports(String... t) {
            return new Options(List.of(t), reconnectDelay, reconnectDelayMax, jitter, maxAuthFailures, connectTimeout,
                    staleAfter, probeTimeout, tick, clockJump, wallClock, resyncEvery);
        }

        public Options withReconnectDelay(Duration first, Duration max) {
            return new Options(transports, first, max, jitter, maxAuthFailures, connectTimeout, staleAfter,
                    probeTimeout, tick, clockJump, wallClock, resyncEvery);
        }

        public Options withStaleAfter(Duration stale, Duration probe) {
            return new Options(transports, reconnectDelay, reconnectDelayMax, jitter, maxAuthFailures, connectTimeout,
                    stale, probe, tick, clockJump, wallClock, resyncEvery);
        }

        public Options withClock(Clock clock, Duration tickEvery, Duration jump) {
            return new Options(transports, reconnectDelay, reconnectDelayMax, jitter, maxAuthFailures, connectTimeout,
                    staleAfter, probeTimeout, tickEvery, jump, clock, resyncEvery);
        }

        public Options withResyncEvery(Duration every) {
            return new Options(transports, reconnectDelay, reconnectDelayMax, jitter, maxAuthFailures, connectTimeout,
                    staleAfter, probeTimeout, tick, clockJump, wallClock, every);
        }
    }

    private final List<Consumer<? super ChannelEvent>> subscribers = new CopyOnWriteArrayList<>();
    private final LiveApplier applier;
    private final LiveConnection connection;

    private volatile boolean started;
    private volatile boolean stopped;
    private volatile Status status = Status.DISCONNECTED;
    private volatile RuntimeException failure;

    /**
     * A channel for the account whose store is {@code db}, on the server at {@code server} (the REST base URL; the
     * Socket.IO endpoint is {@code <base path>/socket.io} on the same host). Nothing happens before {@link #start()}.
     */
    public LiveChannel(URI server, TokenProvider tokens, LocalDatabase db, SyncEngine engine, Options options) {
        Objects.requireNonNull(options);
        this.applier = new LiveApplier(this, Objects.requireNonNull(db), Objects.requireNonNull(engine), options);
        this.connection = new LiveConnection(this, applier, server, Objects.requireNonNull(tokens), options);
    }

    /** Adds a subscriber; every later event reaches it (see Threads above). */
    public Subscription subscribe(Consumer<? super ChannelEvent> subscriber) {
        Objects.requireNonNull(subscriber);
        subscribers.add(subscriber);
        return () -> subscribers.remove(subscriber);
    }

    /** Connects and starts applying; returns at once. */
    public synchronized LiveChannel start() {
        if (started) throw new IllegalStateException("already started");
        started = true;
        applier.start();
        connection.start();
        return this;
    }

    public Status status() {
        return status;
    }

    /** Why the channel stopped by itself, or null. */
    public RuntimeException failure() {
        return failure;
    }

    public Stats stats() {
        return applier.stats(connection.connects());
    }

    /** Sends {@code chat:member:activity {chatUUID, action}} (e.g. TYPING); false when not connected. */
    public boolean sendActivity(String chatUUID, String action) {
        return !stopped && connection.sendActivity(chatUUID, action);
    }

    /** Asks the worker for a sync (e.g. the user pressed refresh); it runs after the events already queued. */
    public void requestSync(String reason) {
        if (!stopped) applier.requestSync(reason);
    }

    /** Drops the connection and connects again at once (which syncs). */
    public void reconnectNow(String reason) {
        connection.reconnect(reason, false);
    }

    /** Stops the channel signed out (the account signed out on this machine), as the server's refusal of its session would. */
    public void signedOut() {
        stop(new ApiException(ApiException.Kind.HTTP, 401, "AUTH_NO_SESSION", "signed out"));
    }

    /** Disconnects and stops the worker; waits up to 5 s for a running transaction to end. Idempotent. */
    @Override
    public void close() {
        stop(null);
        applier.awaitEnd();
        connection.shutdownNow();
    }

    // ---- for the connection and the applier --------------------------------------------------------------

    boolean stopped() {
        return stopped;
    }

    /** Stops the channel once, from any thread: no more connecting, and the worker publishes {@code Stopped}. */
    void stop(RuntimeException why) {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
            failure = why;
        }
        connection.close();
        applier.stop(why);
        if (!started) applier.startWorker(); // so that Stopped is still published
    }

    /** Drops the connection and connects again (with a refreshed token when {@code freshToken}). */
    void reconnect(String reason, boolean freshToken) {
        connection.reconnect(reason, freshToken);
    }

    /** Worker thread only. */
    void setStatus(Status s) {
        if (status == s) return;
        status = s;
        publish(new ChannelEvent.StatusChanged(s));
    }

    /** Worker thread only: to every subscriber, in the order they subscribed. */
    void publish(ChannelEvent event) {
        for (Consumer<? super ChannelEvent> s : subscribers) {
            try {
                s.accept(event);
            } catch (RuntimeException e) {
                // A failing subscriber must not stop the channel, nor keep the event from the others.
            }
        }
    }

    /** A problem being retried, from any thread: published on the worker. */
    void problem(String message) {
        applier.problem(message);
    }
}
