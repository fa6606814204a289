package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MemberView;
import dev.novyse.store.MessageView;
import dev.novyse.store.StoreException;
import dev.novyse.store.StoreWriter;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live channel of one account: a Socket.IO connection to the server that keeps the local database current
 * between syncs, and tells a {@link Listener} about every change after it has committed.
 *
 * <h2>Subscribe, then fetch (DESIGN.md invariant 4)</h2>
 * Every socket event goes into one queue, drained by one worker thread that also runs every {@link SyncEngine#sync()}
 * (so all database writes of the channel are serialised). On each (re)connect the worker runs a sync first; events
 * that arrive meanwhile wait in the queue and are applied after it, each in its own transaction through the same
 * {@link BatchApplier} steps the sync uses. Duplicates are dropped by id: a message at or below its sub's cursor,
 * an event at or below its log's cursor. An id that skips ahead of its cursor (message ids are dense per chat and
 * sub; chat, profile and user event ids per log) is not trusted: it triggers a sync, after which the event is
 * applied if it now fits, skipped if the sync brought it, and dropped (counted) otherwise. A chat event about a
 * message newer than any stored in its sub (an edit or reaction whose {@code message:new} was lost) syncs too.
 *
 * <h2>Connection</h2>
 * Transports websocket then polling (each failed attempt leads with the next transport); {@code auth: {token}} from the {@link TokenProvider}, fetched before every
 * attempt ({@code current()}, which refreshes a token about to expire), and force-refreshed after an
 * {@code AUTH_TOKEN_EXPIRED} refusal. Reconnection is the channel's own, with exponential backoff and jitter;
 * {@code AUTH_INVALID_TOKEN} / {@code AUTH_NO_TOKEN} refusals {@link Options#maxAuthFailures} times in a row stop the
 * channel with an authentication error, as does a 401 from the sync or {@code auth:session-revoked}.
 * When nothing arrives for {@link Options#staleAfter} the channel probes the connection ({@code auth:refresh}, which
 * the server answers) and syncs; no answer within {@link Options#probeTimeout} reconnects. However busy the channel,
 * it syncs at least every {@link Options#resyncEvery}: a lost event that no later event reveals as a gap (the newest
 * message of a chat) is fetched by then. A wall clock that jumps against the monotonic one (a suspended laptop)
 * reconnects at once, which syncs.
 *
 * <h2>Threads</h2>
 * Listener methods are called on the channel's worker thread, one at a time, in the order the changes committed.
 * They must not block for long (a slow listener delays the channel, never loses an event) and must not call
 * {@link #close()} expecting it to wait for them.
 */
public final class LiveChannel implements AutoCloseable {
    public enum Status { CONNECTING, SYNCING, CONNECTED, DISCONNECTED, STOPPED }

    /** Where a reported message came from: its own live event, or a sync (catch-up after a reconnect or a gap). */
    public enum Source { LIVE, SYNC }

    /**
     * A sync the channel ran. {@code baseline}: the first successful one after {@link #start()}, whose messages are
     * not reported one by one (a channel reports what changes after it caught up). Messages of later syncs are
     * reported through {@link Listener#onMessage}; their chat, profile and user events only as counts here.
     */
    public record SyncReport(String reason, boolean baseline, SyncResult result) {
    }

    /** What the channel did so far (for status lines and tests). */
    public record Stats(long events, long applied, long duplicates, long gaps, long dropped, long ignored,
                        long syncs, long failedSyncs, long connects) {
    }

    /** Receives every change after it committed; all methods are optional. Called on the worker thread. */
    public interface Listener {
        default void onStatus(Status status) {
        }

        /** A new message in the store (read back from it: sender name, reactions and files included). */
        default void onMessage(MessageView message, Source source) {
        }

        /** A chat the account now sees ({@code chat:new}). */
        default void onChat(Chat chat) {
        }

        /** A live chat event that changed the store; {@code id} is its {@code chatEventID}. */
        default void onChatEvent(ChatEvent event) {
        }

        /** A live profile change; {@code id} is its {@code profileEventID}, the payload the changed fields. */
        default void onProfileEvent(ProfileEvent event) {
        }

        /** A live event of the account's own (pins, favourites, settings); {@code id} is its {@code userEventID}. */
        default void onUserEvent(UserEvent event) {
        }

        default void onSynced(SyncReport report) {
        }

        /** Someone's activity in a chat (typing); never stored. */
        default void onActivity(String chatUUID, String userUUID, String action) {
        }

        /** A contact came online or went offline; never stored. */
        default void onPresence(String userUUID, boolean online, String lastAccessAt) {
        }

        /** Something went wrong and is being retried (a failed sync, a refused token); one line, for a status bar. */
        default void onProblem(String message) {
        }

        /** The channel stopped: {@code failure} is null after {@link #close()}, else why it gave up. Called once. */
        default void onStopped(RuntimeException failure) {
        }
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

    // ---- queue items (socket thread and connector → worker) ---------------------------------------------

    private sealed interface Item {
    }

    private record Connected() implements Item {
    }

    private record Disconnected(String reason) implements Item {
    }

    private record Event(String name, JsonNode payload, String receivedAt) implements Item {
    }

    private record SyncNow(String reason) implements Item {
    }

    private record StatusChange(Status status) implements Item {
    }

    private record Stop(RuntimeException failure) implements Item {
    }

    private record Problem(String message) implements Item {
    }

    private enum Fate { APPLIED, NO_EFFECT, DUPLICATE, GAP, UNKNOWN }

    private static final int REPORT_CHUNK = 500;
    private static final String CLIENT_DISCONNECT = "io client disconnect";

    private final TokenProvider tokens;
    private final LocalDatabase db;
    private final SyncEngine engine;
    private final Listener listener;
    private final Options options;
    private final IO.Options ioOptions;
    private final Socket socket;
    private final Map<String, String> auth = new ConcurrentHashMap<>();
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private final ScheduledExecutorService connector;

    private volatile Thread connectorThread;
    private volatile boolean started;
    private volatile boolean stopped;
    private volatile Status status = Status.DISCONNECTED;
    private volatile RuntimeException failure;
    private volatile long lastInbound = System.nanoTime();
    private volatile long probeSent;
    /** When the last sync started (worker) or was asked for by the tick; see {@link Options#resyncEvery}. */
    private volatile long lastSync = System.nanoTime();

    // connector thread only
    private ScheduledFuture<?> pendingConnect;
    private int attempts;
    private int authFailures;
    private boolean refreshNext;
    private long lastMono;
    private long lastWall;

    // worker thread only
    private boolean socketConnected;
    private long syncDueAt;
    private int syncFailures;
    private String retryReason;
    private boolean baselined;
    private final Map<String, Long> reported = new HashMap<>();

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong failedSyncs = new AtomicLong();
    private final AtomicLong connects = new AtomicLong();

    /**
     * A channel for the account whose store is {@code db}, on the server at {@code server} (the REST base URL; the
     * Socket.IO endpoint is {@code <base path>/socket.io} on the same host). Nothing happens before {@link #start()}.
     */
    public LiveChannel(URI server, TokenProvider tokens, LocalDatabase db, SyncEngine engine, Listener listener,
                       Options options) {
        this.tokens = Objects.requireNonNull(tokens);
        this.db = Objects.requireNonNull(db);
        this.engine = Objects.requireNonNull(engine);
        this.listener = listener == null ? new Listener() { } : listener;
        this.options = Objects.requireNonNull(options);
        this.ioOptions = socketOptions(server, options, auth);
        this.socket = IO.socket(origin(server), ioOptions);
        this.worker = new Thread(this::work, "novyse-live");
        this.worker.setDaemon(true);
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "novyse-live-connect");
            t.setDaemon(true);
            connectorThread = t;
            return t;
        });
    }

    private static URI origin(URI server) {
        try {
            return new URI(server.getScheme(), null, server.getHost(), server.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("bad server URL " + server, e);
        }
    }

    private static IO.Options socketOptions(URI server, Options o, Map<String, String> auth) {
        IO.Options io = new IO.Options();
        io.forceNew = true;
        io.reconnection = false; // the channel reconnects itself, with a fresh token each time
        io.transports = o.transports().toArray(new String[0]);
        io.timeout = o.connectTimeout().toMillis();
        String base = server.getRawPath() == null ? "" : server.getRawPath();
        while (base.endsWith("/")) base = base.substring(0, base.length() - 1);
        io.path = base + "/socket.io";
        io.auth = auth; // the same map is read at every CONNECT, so a refreshed token is used on the next attempt
        return io;
    }

    /** Connects and starts applying; returns at once. */
    public synchronized LiveChannel start() {
        if (started) throw new IllegalStateException("already started");
        started = true;
        // "Now": what the store holds at start is not reported; the first sync's additions neither (baseline).
        for (UpdateRequest.ChatCursor c : db.updateRequest().chats()) {
            for (UpdateRequest.SubCursor s : c.subs()) reported.put(key(c.chatUUID(), s.subID()), s.messageID());
        }
        socket.on(Socket.EVENT_CONNECT, a -> {
            lastInbound = System.nanoTime();
            probeSent = 0;
            connects.incrementAndGet();
            onConnector(this::connected);
            queue.add(new Connected());
        });
        socket.on(Socket.EVENT_DISCONNECT, a -> {
            String reason = a.length > 0 ? String.valueOf(a[0]) : "";
            queue.add(new Disconnected(reason));
            onConnector(() -> scheduleReconnect(reason.equals(CLIENT_DISCONNECT)));
        });
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> {
            Object err = a.length > 0 ? a[0] : null;
            queue.add(new Disconnected("connect error"));
            onConnector(() -> connectError(err));
        });
        socket.onAnyIncoming(a -> {
            lastInbound = System.nanoTime();
            probeSent = 0;
            if (a.length == 0) return;
            queue.add(new Event(String.valueOf(a[0]), toJson(a.length > 1 ? a[1] : null), Instant.now().toString()));
        });
        worker.start();
        lastMono = System.nanoTime();
        lastWall = options.wallClock().millis();
        long tick = options.tick().toMillis();
        connector.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        onConnector(this::connectAttempt);
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
        return new Stats(events.get(), applied.get(), duplicates.get(), gaps.get(), dropped.get(), ignored.get(),
                syncs.get(), failedSyncs.get(), connects.get());
    }

    /** Sends {@code chat:member:activity {chatUUID, action}} (e.g. TYPING); false when not connected. */
    public boolean sendActivity(String chatUUID, String action) {
        if (stopped || !socket.connected()) return false;
        socket.emit("chat:member:activity", new JSONObject().put("chatUUID", chatUUID).put("action", action));
        return true;
    }

    /** Asks the worker for a sync (e.g. the user pressed refresh); it runs after the events already queued. */
    public void requestSync(String reason) {
        if (!stopped) queue.add(new SyncNow(reason));
    }

    /** Drops the connection and connects again at once (which syncs). */
    public void reconnectNow(String reason) {
        onConnector(() -> forceReconnect(reason));
    }

    /** Disconnects and stops the worker; waits up to 5 s for a running transaction to end. Idempotent. */
    @Override
    public void close() {
        stop(null);
        if (Thread.currentThread() != worker && worker.isAlive()) {
            try {
                worker.join(2_000);
                if (worker.isAlive()) {
                    worker.interrupt(); // a sync blocked on the network gives up on interrupt
                    worker.join(3_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        connector.shutdownNow();
    }

    private void stop(RuntimeException why) {
        synchronized (this) {
            if (stopped) return;
            stopped = true;
            failure = why;
        }
        connector.shutdownNow();
        if (Thread.currentThread() != connectorThread) {
            try {
                connector.awaitTermination(2, TimeUnit.SECONDS); // no connect attempt after the close below
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        socket.off();
        socket.offAnyIncoming();
        socket.close();
        queue.add(new Stop(why));
        if (!started) worker.start();
    }

    // ---- connection (connector thread) ------------------------------------------------------------------

    private void onConnector(Runnable r) {
        try {
            connector.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    problem("live channel: " + ApiClient.firstLine(String.valueOf(e.getMessage())));
                }
            });
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private void connected() {
        attempts = 0;
        authFailures = 0;
        if (pendingConnect != null) {
            pendingConnect.cancel(false);
            pendingConnect = null;
        }
    }

    private void connectAttempt() {
        pendingConnect = null;
        if (stopped || socket.connected()) return;
        String token;
        try {
            token = refreshNext ? tokens.refresh() : tokens.current();
            refreshNext = false;
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                stop(e); // the session itself is gone: nothing to reconnect with
                return;
            }
            problem("cannot get a token for the live channel: " + e.getMessage());
            scheduleReconnect(false);
            return;
        }
        auth.put("token", token == null ? "" : token);
        // The engine tries only its first transport: after a failed attempt, lead with the next one (a proxy
        // that refuses websockets still lets long-polling through, which then tries to upgrade).
        List<String> t = options.transports();
        int first = attempts % t.size();
        String[] order = new String[t.size()];
        for (int i = 0; i < order.length; i++) order[i] = t.get((first + i) % t.size());
        ioOptions.transports = order; // read by the Manager when it opens the next engine
        queue.add(new StatusChange(Status.CONNECTING));
        socket.connect();
    }

    private void connectError(Object err) {
        String code = null;
        String message = String.valueOf(err);
        if (err instanceof JSONObject j) {
            JSONObject data = j.optJSONObject("data");
            code = data == null ? null : data.optString("code", null);
            message = j.optString("message", message);
        } else if (err instanceof Throwable t) {
            message = t.getMessage() != null ? t.getMessage() : t.toString();
        }
        if ("AUTH_TOKEN_EXPIRED".equals(code)) {
            refreshNext = true;
        } else if (code != null && code.startsWith("AUTH_")) {
            authFailures++;
            if (authFailures >= options.maxAuthFailures()) {
                stop(new ApiException(ApiException.Kind.HTTP, 401, code, "the server refused the live channel's token "
                        + authFailures + " times (" + code + "): sign in again"));
                return;
            }
            refreshNext = true;
            problem("live channel refused (" + code + "), retrying with a fresh token");
        } else {
            problem("live channel: cannot connect: " + ApiClient.firstLine(message));
        }
        scheduleReconnect(false);
    }

    /** One reconnect at a time; {@code soon} for a reconnect the channel asked for itself. */
    private void scheduleReconnect(boolean soon) {
        if (stopped || (pendingConnect != null && !pendingConnect.isDone())) return;
        long delay = soon ? 50 : backoff(attempts++, options.reconnectDelay(), options.reconnectDelayMax());
        try {
            pendingConnect = connector.schedule(this::connectAttempt, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    private long backoff(int attempt, Duration first, Duration max) {
        double base = Math.min((double) max.toMillis(), first.toMillis() * Math.pow(2, Math.min(attempt, 20)));
        double j = options.jitter();
        return (long) (base * (1 - j + ThreadLocalRandom.current().nextDouble() * 2 * j));
    }

    private void forceReconnect(String reason) {
        if (stopped) return;
        problem("live channel: reconnecting (" + reason + ")");
        attempts = 0;
        if (socket.connected()) {
            socket.disconnect(); // its disconnect event schedules the reconnect
        } else {
            if (pendingConnect != null) pendingConnect.cancel(false);
            pendingConnect = null;
            scheduleReconnect(true);
        }
    }

    private void tick() {
        if (stopped) return;
        long mono = System.nanoTime();
        long wall = options.wallClock().millis();
        long monoMs = (mono - lastMono) / 1_000_000;
        long wallMs = wall - lastWall;
        lastMono = mono;
        lastWall = wall;
        long jump = options.clockJump().toMillis();
        if (Math.abs(wallMs - monoMs) > jump) {
            // Suspended (the wall clock ran on, the monotonic one did not) or frozen: the connection is suspect
            // and events may have been missed.
            forceReconnect("the clock jumped " + (wallMs - monoMs) / 1000 + " s; the machine was probably asleep");
            return;
        }
        if (!socket.connected()) return;
        long sent = probeSent;
        if (sent == 0 && mono - lastInbound > options.staleAfter().toNanos()) {
            probeSent = mono;
            String token;
            try {
                token = tokens.current();
            } catch (RuntimeException e) {
                token = auth.getOrDefault("token", "");
            }
            socket.emit("auth:refresh", new JSONObject().put("token", token == null ? "" : token));
            lastSync = mono;
            queue.add(new SyncNow("idle"));
        } else if (sent != 0 && mono - sent > options.probeTimeout().toNanos()) {
            probeSent = 0;
            forceReconnect("no answer from the server for " + options.probeTimeout().toSeconds() + " s");
            return;
        }
        // A lost event shows as a gap only when a later event of the same cursor arrives. The newest message of a
        // chat, or the last change of a quiet chat, has none; the idle probe fetches it only if the whole channel
        // falls silent, which a busy account never does. So sync every resyncEvery, whatever the traffic.
        if (mono - lastSync > options.resyncEvery().toNanos()) {
            lastSync = mono; // asked for once; the worker restarts the period when it runs
            queue.add(new SyncNow("periodic"));
        }
    }

    private static JsonNode toJson(Object payload) {
        if (payload == null || payload == JSONObject.NULL) return Json.mapper().nullNode();
        try {
            return Json.mapper().readTree(payload.toString());
        } catch (Exception e) {
            return Json.mapper().getNodeFactory().textNode(payload.toString());
        }
    }

    // ---- worker -----------------------------------------------------------------------------------------

    private void work() {
        while (true) {
            Item item;
            try {
                long wait = syncDueAt == 0 ? Long.MAX_VALUE : syncDueAt - System.nanoTime();
                if (wait <= 0 && !stopped) {
                    runSync(retryReason);
                    continue;
                }
                item = wait == Long.MAX_VALUE ? queue.take() : queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (stopped) {
                    finish(failure);
                    return;
                }
                continue;
            }
            if (item == null) continue;
            if (item instanceof Stop s) {
                finish(s.failure());
                return;
            }
            if (stopped) continue;
            try {
                handle(item);
            } catch (RuntimeException e) {
                // A bug or an unusable store: say so and keep the channel alive; the next sync repairs the state.
                problem("live channel: " + ApiClient.firstLine(String.valueOf(e.getMessage())));
            }
        }
    }

    private void finish(RuntimeException why) {
        setStatus(Status.STOPPED);
        safely(() -> listener.onStopped(why));
    }

    private void handle(Item item) {
        if (item instanceof Connected) {
            socketConnected = true;
            runSync("connect");
        } else if (item instanceof Disconnected) {
            socketConnected = false;
            setStatus(Status.DISCONNECTED);
        } else if (item instanceof StatusChange sc) {
            if (!socketConnected) setStatus(sc.status());
        } else if (item instanceof SyncNow s) {
            runSync(s.reason());
        } else if (item instanceof Problem p) {
            problem(p.message());
        } else if (item instanceof Event e) {
            events.incrementAndGet();
            onEvent(LiveEvent.parse(e.name(), e.payload(), e.receivedAt()));
        }
    }

    private void onEvent(LiveEvent e) {
        if (e instanceof LiveEvent.Activity a) {
            if (a.chatUUID() != null && a.userUUID() != null) safely(() -> listener.onActivity(a.chatUUID(), a.userUUID(), a.action()));
        } else if (e instanceof LiveEvent.Presence p) {
            if (p.userUUID() != null) safely(() -> listener.onPresence(p.userUUID(), p.online(), p.lastAccessAt()));
        } else if (e instanceof LiveEvent.Ignored) {
            ignored.incrementAndGet();
        } else if (e instanceof LiveEvent.AuthReply r) {
            if ("AUTH_IDENTITY_MISMATCH".equals(r.code())) onConnector(() -> forceReconnect("the server saw another user's token"));
        } else if (e instanceof LiveEvent.AuthEnded end) {
            if (end.revoked()) {
                stop(new ApiException(ApiException.Kind.HTTP, 401, "SESSION_REVOKED", "the session was revoked: sign in again"));
            } else {
                onConnector(() -> {
                    refreshNext = true;
                    forceReconnect("the server says the token expired");
                });
            }
        } else if (e instanceof LiveEvent.Resync r) {
            gaps.incrementAndGet();
            if (!syncBlocked()) runSync(r.event() + ": " + r.reason());
        } else if (e instanceof LiveEvent.NewChat nc) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                ApplyStats st = new ApplyStats();
                engine.applier().applyNewChats(w, List.of(nc.chat()), st);
                engine.applier().applyNewUsers(w, nc.users(), st);
                return null;
            });
            applied.incrementAndGet();
            safely(() -> listener.onChat(nc.chat()));
            // A joined chat comes without its history, and its sub cursors start at 0: fetch what it holds.
            runSync("chat:new");
        } else {
            stored(e);
        }
    }

    /** A change that goes to the store: apply it if it fits its cursor, else sync first (the gap rule). */
    private void stored(LiveEvent e) {
        Fate fate = tryApply(e);
        if (fate == Fate.GAP) {
            gaps.incrementAndGet();
            if (syncBlocked()) {
                dropped.incrementAndGet(); // a retry is scheduled; that sync brings this change
                return;
            }
            if (!runSync("gap")) {
                dropped.incrementAndGet();
                return;
            }
            fate = tryApply(e);
            if (fate == Fate.GAP) {
                dropped.incrementAndGet(); // the server's update does not hold it yet: the next sync will
                return;
            }
        }
        switch (fate) {
            case DUPLICATE -> duplicates.incrementAndGet();
            case APPLIED -> applied.incrementAndGet();
            default -> { }
        }
        if (fate == Fate.NO_EFFECT && e instanceof LiveEvent.ChatChange change && syncedForAMissingMessage(change)) {
            return;
        }
        if (e instanceof LiveEvent.NewMessage nm) {
            Message m = nm.message();
            reportMessages(m.chatUUID(), m.subID(), m.id());
        } else if (fate == Fate.APPLIED && e instanceof LiveEvent.ChatChange cc) {
            ChatEvent ev = cc.event();
            safely(() -> listener.onChatEvent(ev));
            if (ChatEvent.MEMBER_LEFT.equals(ev.type()) && ev.userUUID() != null
                    && ev.userUUID().equals(db.accountUserUUID().orElse(null))) {
                runSync("left " + ev.chatUUID()); // the update lists the chat in chats.removed
            }
        } else if (fate == Fate.APPLIED && e instanceof LiveEvent.ProfileChange pc) {
            safely(() -> listener.onProfileEvent(pc.event()));
        } else if (fate == Fate.APPLIED && e instanceof LiveEvent.UserChange uc) {
            safely(() -> listener.onUserEvent(uc.event()));
        }
    }

    /**
     * An edit, reaction, pin or read of a message newer than any this store has in its sub: the message's
     * {@code message:new} was lost, and nothing else may reveal the gap soon (no later message in the sub). Syncs,
     * which brings the message as it is now, this change included; true if the change named such a message.
     */
    private boolean syncedForAMissingMessage(LiveEvent.ChatChange change) {
        ChatEvent ev = change.event();
        if (ev.payload() == null || !ev.payload().has("messageID") || ev.chatUUID() == null) return false;
        long id = ev.payload().path("messageID").asLong(-1);
        if (id <= newestStored(ev.chatUUID(), ev.payload().path("subID").asInt(0))) return false;
        gaps.incrementAndGet();
        if (!syncBlocked()) runSync(ev.type() + " of a message not here yet");
        return true;
    }

    /** The highest message id stored in a (chat, sub), 0 for none. */
    private long newestStored(String chat, int sub) {
        return db.subCursors(chat).stream().filter(c -> c.subID() == sub)
                .mapToLong(UpdateRequest.SubCursor::messageID).max().orElse(0);
    }

    private boolean syncBlocked() {
        return syncDueAt != 0 && System.nanoTime() < syncDueAt;
    }

    /** One live change in its own transaction, placed by its cursor; a failure to apply counts as a gap. */
    private Fate tryApply(LiveEvent e) {
        try {
            return db.inTransaction(tx -> place(new StoreWriter(tx), e));
        } catch (StoreException | ApiException ex) {
            problem("live event not applied, syncing instead: " + ApiClient.firstLine(String.valueOf(ex.getMessage())));
            return Fate.GAP;
        }
    }

    private Fate place(StoreWriter w, LiveEvent e) {
        BatchApplier applier = engine.applier();
        ApplyStats st = new ApplyStats();
        if (e instanceof LiveEvent.NewMessage nm) {
            Message m = nm.message();
            if (!w.chatExists(m.chatUUID())) return Fate.GAP;
            long cursor = w.maxMessageId(m.chatUUID(), m.subID());
            if (m.id() <= cursor) return Fate.DUPLICATE;
            if (m.id() > cursor + 1) return Fate.GAP;
            applier.applyMessages(w, List.of(m), st);
            return Fate.APPLIED;
        }
        if (e instanceof LiveEvent.ChatChange cc) {
            ChatEvent ev = cc.event();
            long cursor = w.chatEventId(ev.chatUUID());
            if (cursor < 0) return Fate.GAP;
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            if (cc.user() != null) applier.applyNewUsers(w, List.of(cc.user()), st);
            applier.applyChatEvents(w, List.of(ev), st);
            return fate(st.chatEvents, st.skippedUnknown);
        }
        if (e instanceof LiveEvent.ProfileChange pc) {
            ProfileEvent ev = pc.event();
            long cursor = w.profileEventId(ev.userUUID());
            if (cursor < 0) return Fate.GAP; // a user not stored: the update brings the profile
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            applier.applyProfileEvents(w, List.of(ev), st);
            return fate(st.profileEvents, 0);
        }
        if (e instanceof LiveEvent.UserChange uc) {
            UserEvent ev = uc.event();
            long cursor = w.localEventId();
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            applier.applyUserEvents(w, List.of(ev), st);
            return fate(st.userEvents, st.skippedUnknown);
        }
        throw new IllegalStateException("not a stored change: " + e);
    }

    private static Fate fate(int appliedCount, int unknown) {
        return appliedCount > 0 ? Fate.APPLIED : unknown > 0 ? Fate.UNKNOWN : Fate.NO_EFFECT;
    }

    /** Runs a sync now; on failure schedules a retry with backoff. Returns whether it succeeded. */
    private boolean runSync(String reason) {
        if (stopped) return false;
        lastSync = System.nanoTime();
        syncs.incrementAndGet();
        setStatus(Status.SYNCING);
        SyncResult result;
        try {
            result = engine.sync();
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                stop(e); // the API client already tried a fresh token: the session is over
                return false;
            }
            return syncFailed(reason, e);
        } catch (RuntimeException e) {
            return syncFailed(reason, e);
        }
        syncFailures = 0;
        syncDueAt = 0;
        boolean baseline = !baselined;
        baselined = true;
        reportAfterSync(baseline);
        SyncReport report = new SyncReport(reason, baseline, result);
        safely(() -> listener.onSynced(report));
        setStatus(socketConnected ? Status.CONNECTED : Status.DISCONNECTED);
        return true;
    }

    private boolean syncFailed(String reason, RuntimeException e) {
        failedSyncs.incrementAndGet();
        long delay = backoff(syncFailures++, options.reconnectDelay(), options.reconnectDelayMax().multipliedBy(2));
        syncDueAt = Math.max(1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
        retryReason = reason;
        problem("sync failed, retrying in " + Math.max(1, delay / 1000) + " s: "
                + ApiClient.firstLine(String.valueOf(e.getMessage())));
        setStatus(socketConnected ? Status.SYNCING : Status.DISCONNECTED);
        return false;
    }

    // ---- reporting messages -----------------------------------------------------------------------------

    private static String key(String chat, int sub) {
        return chat + '\u0000' + sub;
    }

    /**
     * Reports every message of every sub above what was reported, after a sync. The baseline sync only moves the
     * marks. A chat or sub first seen after the baseline is reported from the account's joining of the chat.
     */
    private void reportAfterSync(boolean baseline) {
        for (UpdateRequest.ChatCursor c : db.updateRequest().chats()) {
            for (UpdateRequest.SubCursor s : c.subs()) {
                String k = key(c.chatUUID(), s.subID());
                if (baseline) {
                    reported.merge(k, s.messageID(), Math::max);
                } else {
                    report(c.chatUUID(), s.subID(), s.messageID(), -1);
                }
            }
        }
    }

    /** After a live message: report it and anything below it not reported yet (another writer may have stored it). */
    private void reportMessages(String chat, int sub, long liveId) {
        long cursor = newestStored(chat, sub);
        if (!baselined && !reported.containsKey(key(chat, sub))) {
            reported.put(key(chat, sub), cursor); // before the first sync, unknown subs are part of the baseline
            return;
        }
        report(chat, sub, cursor, liveId);
    }

    private void report(String chat, int sub, long upTo, long liveId) {
        String k = key(chat, sub);
        // A chat or sub first seen now: what was written before the account joined the chat is history, not news.
        Instant joined = reported.containsKey(k) ? null : joinedAt(chat);
        long from = reported.getOrDefault(k, 0L);
        while (from < upTo) {
            long to = Math.min(upTo, from + REPORT_CHUNK);
            for (MessageView m : db.before(chat, sub, to + 1, (int) (to - from))) {
                if (m.id() <= from || (joined != null && before(m.createdAt(), joined))) continue;
                Source source = m.id() == liveId ? Source.LIVE : Source.SYNC;
                safely(() -> listener.onMessage(m, source));
            }
            from = to;
            reported.put(k, to);
        }
    }

    private Instant joinedAt(String chat) {
        String me = db.accountUserUUID().orElse(null);
        for (MemberView m : db.members(chat)) {
            if (m.userUUID().equals(me) && m.joinedAt() != null) {
                try {
                    return Instant.parse(m.joinedAt());
                } catch (RuntimeException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static boolean before(String createdAt, Instant joined) {
        try {
            return createdAt != null && Instant.parse(createdAt).isBefore(joined);
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private void setStatus(Status s) {
        if (status == s) return;
        status = s;
        safely(() -> listener.onStatus(s));
    }

    /** Listener calls happen on the worker only: from other threads the message is queued. */
    private void problem(String message) {
        if (Thread.currentThread() == worker) {
            safely(() -> listener.onProblem(message));
        } else if (!stopped) {
            queue.add(new Problem(message));
        }
    }

    private static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            // A failing listener must not stop the channel.
        }
    }
}
