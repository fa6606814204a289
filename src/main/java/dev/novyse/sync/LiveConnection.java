package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Timestamps;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live channel's Socket.IO connection. It hands everything it receives to the {@link LiveApplier}'s queue and
 * decides nothing about the store; its own work runs on one connector thread.
 *
 * <p>Transports websocket then polling (each failed attempt leads with the next transport); {@code auth: {token}}
 * from the {@link TokenProvider}, fetched before every attempt ({@code current()}, which refreshes a token about to
 * expire), and force-refreshed after an {@code AUTH_TOKEN_EXPIRED} refusal. Reconnection is the channel's own, with
 * exponential backoff and jitter; {@code AUTH_INVALID_TOKEN} / {@code AUTH_NO_TOKEN} refusals
 * {@link LiveChannel.Options#maxAuthFailures} times in a row stop the channel with an authentication error.
 * When nothing arrives for {@link LiveChannel.Options#staleAfter} the connection probes the server
 * ({@code auth:refresh}, which the server answers) and asks for a sync; no answer within
 * {@link LiveChannel.Options#probeTimeout} reconnects. A wall clock that jumps against the monotonic one (a
 * suspended laptop) reconnects at once, which syncs.
 */
final class LiveConnection {
    private static final String CLIENT_DISCONNECT = "io client disconnect";

    private final LiveChannel channel;
    private final LiveApplier applier;
    private final TokenProvider tokens;
    private final LiveChannel.Options options;
    private final IO.Options ioOptions;
    private final Socket socket;
    private final Map<String, String> auth = new ConcurrentHashMap<>();
    private final ScheduledExecutorService connector;
    private final AtomicLong connects = new AtomicLong();

    private volatile Thread connectorThread;
    private volatile long lastInbound = System.nanoTime();
    private volatile long probeSent;

    // connector thread only
    private ScheduledFuture<?> pendingConnect;
    private int attempts;
    private int authFailures;
    private boolean refreshNext;
    private long lastMono;
    private long lastWall;

    LiveConnection(LiveChannel channel, LiveApplier applier, URI server, TokenProvider tokens,
                   LiveChannel.Options options) {
        this.channel = channel;
        this.applier = applier;
        this.tokens = tokens;
        this.options = options;
        this.ioOptions = socketOptions(server, options, auth);
        this.socket = IO.socket(origin(server), ioOptions);
        this.connector = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = DaemonThreads.create("novyse-live-connect", r);
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

    private static IO.Options socketOptions(URI server, LiveChannel.Options o, Map<String, String> auth) {
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

    /** Listens, starts the clock tick and makes the first attempt; returns at once. */
    void start() {
        socket.on(Socket.EVENT_CONNECT, a -> {
            lastInbound = System.nanoTime();
            probeSent = 0;
            connects.incrementAndGet();
            onConnector(this::connected);
            applier.socketConnected();
        });
        socket.on(Socket.EVENT_DISCONNECT, a -> {
            String reason = a.length > 0 ? String.valueOf(a[0]) : "";
            applier.socketDisconnected(reason);
            onConnector(() -> scheduleReconnect(reason.equals(CLIENT_DISCONNECT)));
        });
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> {
            Object err = a.length > 0 ? a[0] : null;
            applier.socketDisconnected("connect error");
            onConnector(() -> connectError(err));
        });
        socket.onAnyIncoming(a -> {
            lastInbound = System.nanoTime();
            probeSent = 0;
            if (a.length == 0) return;
            applier.received(String.valueOf(a[0]), toJson(a.length > 1 ? a[1] : null), Timestamps.now());
        });
        lastMono = System.nanoTime();
        lastWall = options.wallClock().millis();
        long tick = options.tick().toMillis();
        connector.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
        onConnector(this::connectAttempt);
    }

    long connects() {
        return connects.get();
    }

    boolean sendActivity(String chatUUID, String action) {
        if (!socket.connected()) return false;
        socket.emit("chat:member:activity", new JSONObject().put("chatUUID", chatUUID).put("action", action));
        return true;
    }

    /** Drops the connection and connects again at once (with a refreshed token when {@code freshToken}). */
    void reconnect(String reason, boolean freshToken) {
        onConnector(() -> {
            if (freshToken) refreshNext = true;
            forceReconnect(reason);
        });
    }

    /** No more attempts, and the socket closed (after a running connect attempt, unless called from it). */
    void close() {
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
    }

    void shutdownNow() {
        connector.shutdownNow();
    }

    // ---- connector thread -------------------------------------------------------------------------------

    private void onConnector(Runnable r) {
        try {
            connector.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    channel.problem("live channel: " + ApiClient.firstLine(String.valueOf(e.getMessage())));
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
        if (channel.stopped() || socket.connected()) return;
        String token;
        try {
            token = refreshNext ? tokens.refresh() : tokens.current();
            refreshNext = false;
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                channel.stop(e); // the session itself is gone: nothing to reconnect with
                return;
            }
            channel.problem("cannot get a token for the live channel: " + e.getMessage());
            scheduleReconnect(false);
            return;
        } catch (RuntimeException e) { // e.g. the credentials file unreadable: said and tried again, never stuck
            channel.problem("cannot get a token for the live channel: " + e.getMessage());
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
        applier.connecting();
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
                channel.stop(new ApiException(ApiException.Kind.HTTP, 401, code, "the server refused the live channel's token "
                        + authFailures + " times (" + code + "): sign in again"));
                return;
            }
            refreshNext = true;
            channel.problem("live channel refused (" + code + "), retrying with a fresh token");
        } else {
            channel.problem("live channel: cannot connect: " + ApiClient.firstLine(message));
        }
        scheduleReconnect(false);
    }

    /** One reconnect at a time; {@code soon} for a reconnect the channel asked for itself. */
    private void scheduleReconnect(boolean soon) {
        if (channel.stopped() || (pendingConnect != null && !pendingConnect.isDone())) return;
        long delay = soon ? 50 : backoff(attempts++, options.reconnectDelay(), options.reconnectDelayMax(), options.jitter());
        try {
            pendingConnect = connector.schedule(this::connectAttempt, delay, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closed
        }
    }

    /** Exponential backoff from {@code first} up to {@code max}, spread by ± {@code jitter}. */
    static long backoff(int attempt, Duration first, Duration max, double jitter) {
        double base = Math.min((double) max.toMillis(), first.toMillis() * Math.pow(2, Math.min(attempt, 20)));
        return (long) (base * (1 - jitter + ThreadLocalRandom.current().nextDouble() * 2 * jitter));
    }

    private void forceReconnect(String reason) {
        if (channel.stopped()) return;
        channel.problem("live channel: reconnecting (" + reason + ")");
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
        if (channel.stopped()) return;
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
            applier.syncAfterSilence(mono);
        } else if (sent != 0 && mono - sent > options.probeTimeout().toNanos()) {
            probeSent = 0;
            forceReconnect("no answer from the server for " + options.probeTimeout().toSeconds() + " s");
            return;
        }
        applier.resyncIfDue(mono);
    }

    private static JsonNode toJson(Object payload) {
        if (payload == null || payload == JSONObject.NULL) return Json.mapper().nullNode();
        try {
            return Json.mapper().readTree(payload.toString());
        } catch (Exception e) {
            return Json.mapper().getNodeFactory().textNode(payload.toString());
        }
    }
}
