package dev.novyse.server.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.concurrent.DaemonThreads;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.parser.Packet;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The Socket.IO (protocol 5) layer over Engine.IO: namespace "/" only, JSON events, no acknowledgements — what the
 * Novyse protocol uses. A connection is admitted only with a valid {@code auth.token}; otherwise it gets the
 * public client's {@code connect_error} codes. Each admitted connection belongs to one user; events are sent to
 * users, never broadcast.
 */
public final class LiveGateway implements LiveFeed {
    private static final Logger LOG = LoggerFactory.getLogger(LiveGateway.class);
    /** Checks a token; returns who it admits or throws {@link Refusal}. */
    public interface TokenCheck {
        Admission admit(String token) throws Refusal;
    }

    /**
     * An admitted token's user, and the id of the API key it was ({@code null} for a session's access token) or of
     * the session it was issued to ({@code null} for a key).
     */
    public record Admission(String user, String apiKeyId, String sessionId) {
    }

    /** A refused token, with the code the client sees. */
    public static final class Refusal extends Exception {
        final String code;

        public Refusal(String code, String message) {
            super(message, null, false, false);
            this.code = code;
        }
    }

    /** Events clients send that the server acts on (typing), and presence changes. */
    public interface ClientEvents {
        void onEvent(String userUUID, String event, JsonNode payload);

        /** The user's first connection opened ({@code online}) or last one closed. */
        default void onPresence(String userUUID, boolean online) {
        }
    }

    private static final class Connection {
        final EngineIoSocket socket;
        volatile String user;
        /** The API key the connection was admitted with, or null: such a connection ends with its key. */
        volatile String apiKeyId;
        /** The session whose token admitted it, or null: such a connection ends with the session (a logout). */
        volatile String sessionId;

        Connection(EngineIoSocket socket) {
            this.socket = socket;
        }
    }

    /**
     * Presence changes are announced here, one at a time in the order the users' connection sets changed, never on
     * the thread that received the packet: over long-polling, engine.io-server hands over a packet while holding its
     * session's lock, and announcing means sending to other sessions (contacts), whose locks another request thread
     * may hold while it sends to this one. Two contacts connecting at once deadlocked two request threads for good
     * that way (PollingCloseRaceTest).
     */
    private final ExecutorService presence =
            Executors.newSingleThreadExecutor(DaemonThreads.named("novyse-live-presence"));
    /**
     * What clients send (typing) is relayed off the request thread too, for the same reason, but through a bounded
     * queue: a client flooding it loses its oldest relays, and neither grows the server's memory nor delays presence.
     */
    private final ThreadPoolExecutor relays = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(1_000), DaemonThreads.named("novyse-live-relay"),
            new ThreadPoolExecutor.DiscardOldestPolicy());
    /**
     * Frames to users go out on one sender thread per core, each owning the users whose uuid hashes to it: a user's
     * frames keep the order {@link #toUsers} was called in (the database's announcer calls it in commit order),
     * while a message to a thousand members is written by every core, not one.
     */
    private final List<ThreadPoolExecutor> senders;
    /** Each sender thread's frames not yet flushed, by the senders' index (touched by that thread only). */
    private final List<FrameBatch> batches;
    private final TokenCheck tokens;
    private final ClientEvents clientEvents;
    private final Map<String, Set<Connection>> byUser = new ConcurrentHashMap<>();

    public LiveGateway(EngineIoServer engineIo, TokenCheck tokens, ClientEvents clientEvents) {
        this.tokens = tokens;
        this.clientEvents = clientEvents;
        List<ThreadPoolExecutor> shards = new ArrayList<>();
        List<FrameBatch> frames = new ArrayList<>();
        for (int i = 0; i < Math.max(1, Runtime.getRuntime().availableProcessors()); i++) {
            FrameBatch batch = new FrameBatch();
            String name = "novyse-live-send-" + i;
            shards.add(new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                    r -> DaemonThreads.create(name, () -> {
                        batch.bind();
                        r.run();
                    })));
            frames.add(batch);
        }
        this.senders = List.copyOf(shards);
        this.batches = List.copyOf(frames);
        engineIo.on("connection", args -> accept((EngineIoSocket) args[0]));
    }

    private void accept(EngineIoSocket socket) {
        Connection conn = new Connection(socket);
        socket.on("message", args -> {
            if (args.length > 0 && args[0] instanceof String text) {
                onPacket(conn, text);
            }
        });
        socket.on("close", args -> forget(conn));
    }

    private void forget(Connection conn) {
        String user = conn.user;
        if (user != null) {
            // Queued inside the map's update, so presence goes out in the order the user's connections changed
            // (a reconnect's "online" never overtaken by the old connection's "offline").
            byUser.computeIfPresent(user, (u, set) -> {
                if (set.remove(conn) && set.isEmpty()) {
                    announcePresence(user, false);
                }
                return set.isEmpty() ? null : set;
            });
        }
    }

    private void announcePresence(String user, boolean online) {
        run(presence, () -> clientEvents.onPresence(user, online));
    }

    private static void run(ExecutorService executor, Runnable action) {
        try {
            executor.execute(() -> {
                try {
                    action.run();
                } catch (RuntimeException e) {
                    LOG.warn("a presence announcement or client event relay failed: {}", e.toString());
                }
            });
        } catch (RejectedExecutionException closed) {
            // the server is shutting down: nobody is left to tell
        }
    }

    /** Stops announcing, relaying and sending (the server is closing). */
    public void close() {
        presence.shutdownNow();
        relays.shutdownNow();
        senders.forEach(ExecutorService::shutdownNow);
    }

    /** The API keys that live connections were admitted with: what the server re-checks on its timer. */
    public Set<String> apiKeysInUse() {
        return inUse(c -> c.apiKeyId);
    }

    /**
     * Ends every connection admitted with the API key {@code id} (paused, revoked or expired): a Socket.IO
     * DISCONNECT, which tells a client the server ended it, then the transport closes. A client that connects again
     * is refused at the handshake.
     */
    public void closeApiKey(String id) {
        closeWhere(c -> id.equals(c.apiKeyId));
    }

    /** The sessions whose tokens live connections were admitted with (re-checked on the server's timer too). */
    public Set<String> sessionsInUse() {
        return inUse(c -> c.sessionId);
    }

    private Set<String> inUse(java.util.function.Function<Connection, String> credential) {
        Set<String> ids = new java.util.HashSet<>();
        for (Set<Connection> conns : byUser.values()) {
            for (Connection c : conns) {
                String id = credential.apply(c);
                if (id != null) ids.add(id);
            }
        }
        return ids;
    }

    /**
     * Ends every connection of the session {@code id} (signed out): as {@link #closeApiKey}, so that a terminal
     * signed out elsewhere stops receiving the account's messages, and is refused when it connects again.
     */
    public void closeSession(String id) {
        closeWhere(c -> id.equals(c.sessionId));
    }

    private void closeWhere(java.util.function.Predicate<Connection> which) {
        for (Set<Connection> conns : byUser.values()) {
            for (Connection c : conns) {
                if (which.test(c)) {
                    try {
                        send(c, "1");
                        c.socket.close();
                    } catch (RuntimeException e) {
                        LOG.warn("closing a live connection whose key or session ended failed: {}", e.toString());
                    }
                }
            }
        }
    }

    /** Whether {@code user} has a connection on this process. */
    public boolean connected(String user) {
        Set<Connection> conns = byUser.get(user);
        return conns != null && !conns.isEmpty();
    }

    /** Number of users with at least one live connection (for tests and status). */
    public int connectedUsers() {
        return byUser.size();
    }

    private void onPacket(Connection conn, String text) {
        if (text.isEmpty()) {
            return;
        }
        char type = text.charAt(0);
        String rest = text.substring(1);
        if (rest.startsWith("/")) {
            int comma = rest.indexOf(',');
            String nsp = comma < 0 ? rest : rest.substring(0, comma);
            rest = comma < 0 ? "" : rest.substring(comma + 1);
            if (!nsp.equals("/")) {
                send(conn, "4" + nsp + "," + error("INVALID_NAMESPACE", "only the main namespace exists"));
                return;
            }
        }
        switch (type) {
            case '0' -> onConnect(conn, rest);
            case '1' -> forget(conn);
            case '2' -> onEvent(conn, rest);
            default -> { } // acknowledgements and binary packets are not part of the Novyse protocol
        }
    }

    private void onConnect(Connection conn, String json) {
        String token = null;
        try {
            JsonNode auth = json.isEmpty() ? null : Json.mapper().readTree(json);
            token = auth == null ? null : auth.path("token").asText(null);
        } catch (IOException e) {
            // treated as no token
        }
        if (token == null || token.isEmpty()) {
            send(conn, "4" + error("AUTH_NO_TOKEN", "auth.token is required"));
            return;
        }
        try {
            Admission admitted = tokens.admit(token);
            String user = admitted.user();
            conn.user = user;
            conn.apiKeyId = admitted.apiKeyId();
            conn.sessionId = admitted.sessionId();
            byUser.compute(user, (u, set) -> {
                Set<Connection> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                if (s.isEmpty()) {
                    announcePresence(user, true); // in order with the map, as in forget()
                }
                s.add(conn);
                return s;
            });
            send(conn, "0" + Json.mapper().createObjectNode().put("sid", conn.socket.getId()));
        } catch (Refusal r) {
            send(conn, "4" + error(r.code, r.getMessage()));
        }
    }

    private void onEvent(Connection conn, String rest) {
        String user = conn.user;
        if (user == null) {
            return; // events before a successful connect are ignored, as Socket.IO servers do
        }
        int i = 0;
        while (i < rest.length() && Character.isDigit(rest.charAt(i))) {
            i++; // an acknowledgement id: not used by this protocol
        }
        JsonNode array;
        try {
            array = Json.mapper().readTree(rest.substring(i));
        } catch (IOException e) {
            return; // a malformed frame from a client is dropped, the connection stays
        }
        if (!(array instanceof ArrayNode a) || a.isEmpty() || !a.get(0).isTextual()) {
            return;
        }
        String event = a.get(0).asText();
        JsonNode payload = a.size() > 1 ? a.get(1) : Json.mapper().nullNode();
        if (event.equals("auth:refresh")) {
            refresh(conn, payload.path("token").asText(""));
        } else {
            run(relays, () -> clientEvents.onEvent(user, event, payload));
        }
    }

    private void refresh(Connection conn, String token) {
        try {
            Admission admitted = tokens.admit(token);
            if (!admitted.user().equals(conn.user)) {
                emit(conn, "auth:refresh:error", errorData("AUTH_IDENTITY_MISMATCH", "the token belongs to another user"));
                return;
            }
            conn.apiKeyId = admitted.apiKeyId();
            conn.sessionId = admitted.sessionId();
            emit(conn, "auth:refreshed", Json.mapper().createObjectNode());
        } catch (Refusal r) {
            emit(conn, "auth:refresh:error", errorData(r.code, r.getMessage()));
        }
    }

    @Override
    public void toUsers(Collection<String> userUUIDs, String event, Object payload) {
        String frame = frame(event, payload);
        List<List<Connection>> shards = new ArrayList<>();
        for (int i = 0; i < senders.size(); i++) shards.add(new ArrayList<>());
        for (String user : userUUIDs) {
            Set<Connection> conns = byUser.get(user);
            if (conns != null) {
                shards.get(Math.floorMod(user.hashCode(), senders.size())).addAll(conns);
            }
        }
        for (int i = 0; i < senders.size(); i++) {
            List<Connection> to = shards.get(i);
            if (to.isEmpty()) continue;
            ThreadPoolExecutor sender = senders.get(i);
            FrameBatch batch = batches.get(i);
            try {
                sender.execute(() -> {
                    batch.collect(!sender.getQueue().isEmpty());
                    try {
                        for (Connection c : to) {
                            try {
                                send(c, frame);
                            } catch (RuntimeException e) {
                                // one broken connection must not cost the others their frame
                                LOG.warn("a live frame to {} failed: {}", c.user, e.toString());
                            }
                        }
                    } finally {
                        // While more events wait for this thread, their frames join these in each socket's buffer and
                        // go out in one write; the last task before the queue runs dry (or every 32nd) writes them.
                        batch.flushUnless(!sender.getQueue().isEmpty());
                    }
                });
            } catch (RejectedExecutionException closed) {
                return; // the server is shutting down
            }
        }
    }

    private void emit(Connection conn, String event, Object payload) {
        send(conn, frame(event, payload));
    }

    private static String frame(String event, Object payload) {
        ArrayNode a = Json.mapper().createArrayNode();
        a.add(event);
        a.add(payload instanceof JsonNode n ? n : Json.mapper().valueToTree(payload));
        return "2" + a;
    }

    private static ObjectNode errorData(String code, String message) {
        return Json.mapper().createObjectNode().put("code", code).put("message", message);
    }

    private static String error(String code, String message) {
        ObjectNode e = Json.mapper().createObjectNode().put("message", message);
        e.putObject("data").put("code", code);
        return e.toString();
    }

    private static void send(Connection conn, String text) {
        conn.socket.send(new Packet<>(Packet.MESSAGE, text));
    }
}
