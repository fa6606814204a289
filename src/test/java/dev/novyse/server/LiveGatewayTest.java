package dev.novyse.server;

import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The live channel with the real Java Socket.IO client, over websocket only and over long-polling only:
 * the handshake's auth, and committed changes reaching exactly the members of a chat.
 */
class LiveGatewayTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        server.close();
    }

    /** A connected socket whose events of interest land in a queue as "event payload" strings. */
    private BlockingQueue<String> connect(String transport, String token, String... events) throws Exception {
        IO.Options options = IO.Options.builder()
                .setTransports(new String[]{transport})
                .setReconnection(false)
                .setAuth(token == null ? Map.of() : Map.of("token", token))
                .build();
        Socket socket = IO.socket(URI.create(server.url()), options);
        sockets.add(socket);
        BlockingQueue<String> queue = new LinkedBlockingQueue<>();
        socket.on(Socket.EVENT_CONNECT, a -> queue.add("connect"));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> queue.add("connect_error " + (a.length > 0 ? a[0] : "")));
        for (String e : events) {
            socket.on(e, a -> queue.add(e + " " + (a.length > 0 ? a[0] : "")));
        }
        socket.connect();
        return queue;
    }

    private static String transportName(String t) {
        return t.equals("websocket") ? WebSocket.NAME : Polling.NAME;
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void refusesAHandshakeWithoutAValidToken(String transport) throws Exception {
        String none = connect(transportName(transport), null).poll(10, TimeUnit.SECONDS);
        assertNotNull(none);
        assertEquals("AUTH_NO_TOKEN", new JSONObject(none.substring("connect_error ".length())).getJSONObject("data").getString("code"));
        String forged = connect(transportName(transport), "not-a-token").poll(10, TimeUnit.SECONDS);
        assertNotNull(forged);
        assertEquals("AUTH_INVALID_TOKEN", new JSONObject(forged.substring("connect_error ".length())).getJSONObject("data").getString("code"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void committedMessagesReachMembersAndNoOneElse(String transport) throws Exception {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        RawApi.Account eve = api.signup("eve");
        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        BlockingQueue<String> bobs = connect(transportName(transport), bob.token(), "message:new", "message:update");
        BlockingQueue<String> eves = connect(transportName(transport), eve.token(), "message:new", "message:update");
        assertEquals("connect", bobs.poll(10, TimeUnit.SECONDS));
        assertEquals("connect", eves.poll(10, TimeUnit.SECONDS));

        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "live hello", "tempId", "t1")));
        String created = bobs.poll(10, TimeUnit.SECONDS);
        assertNotNull(created, "bob receives the new message");
        JSONObject message = new JSONObject(created.substring("message:new ".length()));
        assertEquals("live hello", message.getString("content"));
        assertEquals(1, message.getInt("id"));
        assertEquals(false, message.has("tempId"), "the tempId is the author's business");

        api.ok(api.patch("/message", alice.token(), Map.of("chatUUID", chat, "subID", 0, "messageID", 1, "content", "edited")));
        String update = bobs.poll(10, TimeUnit.SECONDS);
        assertNotNull(update);
        JSONObject u = new JSONObject(update.substring("message:update ".length()));
        assertEquals("edit", u.getString("action"));
        assertEquals("1", u.get("messageID"), "messageID travels as a string on the socket");
        assertEquals(1, u.getLong("chatEventID"));
        assertEquals("edited", u.getString("content"));

        assertNull(eves.poll(300, TimeUnit.MILLISECONDS), "a non-member hears nothing");
    }

    private static final String[] ALL = {"message:new", "message:update", "message:read", "chat:new", "chat:update",
            "chat:member:joined", "chat:member:left", "chat:member:activity", "user:profile:update",
            "user:setting:chat:update", "user:setting:update", "user:message:favorite:update",
            "user:presence:online", "user:presence:offline"};

    /** The next event's name and payload, skipping presence chatter. */
    private static String next(BlockingQueue<String> q) throws InterruptedException {
        while (true) {
            String e = q.poll(10, TimeUnit.SECONDS);
            if (e == null || !e.startsWith("user:presence")) {
                return e;
            }
        }
    }

    private static String name(String e) {
        return e == null ? null : e.substring(0, e.indexOf(' '));
    }

    @org.junit.jupiter.api.Test
    void everyEventReachesExactlyTheAccountsAllowedToSeeIt() throws Exception {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        RawApi.Account eve = api.signup("eve");
        BlockingQueue<String> a = connect(WebSocket.NAME, alice.token(), ALL);
        BlockingQueue<String> b = connect(WebSocket.NAME, bob.token(), ALL);
        BlockingQueue<String> e = connect(WebSocket.NAME, eve.token(), ALL);
        assertEquals("connect", a.poll(10, TimeUnit.SECONDS));
        assertEquals("connect", b.poll(10, TimeUnit.SECONDS));
        assertEquals("connect", e.poll(10, TimeUnit.SECONDS));

        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "handle", "team", "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        assertEquals("chat:new", name(next(a)));
        assertEquals("chat:new", name(next(b)));

        record Step(String what, Runnable action, String toAlice, String toBob) {
        }
        Map<String, Object> msg = Map.of("chatUUID", chat, "subID", 0, "messageID", 1);
        List<Step> steps = List.of(
                new Step("send", () -> api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "hi"))),
                        "message:new", "message:new"),
                new Step("edit", () -> api.ok(api.patch("/message", alice.token(), with(msg, "content", "hi!"))),
                        "message:update", "message:update"),
                new Step("react", () -> api.ok(api.put("/message/reaction", bob.token(), with(msg, "reaction", "+1"))),
                        "message:update", "message:update"),
                new Step("unreact", () -> api.ok(api.delete("/message/reaction", bob.token(), with(msg, "reaction", "+1"))),
                        "message:update", "message:update"),
                new Step("pin", () -> api.ok(api.put("/message/pin", bob.token(), msg)), "message:update", "message:update"),
                new Step("unpin", () -> api.ok(api.delete("/message/pin", bob.token(), msg)), "message:update", "message:update"),
                new Step("read", () -> api.ok(api.post("/message/read", bob.token(), msg)), "message:read", "message:read"),
                new Step("favorite", () -> api.ok(api.put("/message/favorite", bob.token(), msg)), null, "user:message:favorite:update"),
                new Step("pin chat", () -> api.ok(api.put("/chat/pin", bob.token(), Map.of("chatUUID", chat, "position", 0))),
                        null, "user:setting:chat:update"),
                new Step("setting", () -> api.ok(api.put("/user/settings/preferences", bob.token(), Map.of("key", "k", "value", 1))),
                        null, "user:setting:update"),
                new Step("profile", () -> api.ok(api.patch("/user/profile", bob.token(), Map.of("biography", "hello"))),
                        "user:profile:update", "user:profile:update"),
                new Step("rename", () -> api.ok(api.patch("/chat/rename", alice.token(), Map.of("chatUUID", chat, "name", "T2"))),
                        "chat:update", "chat:update"),
                new Step("sub", () -> api.ok(api.post("/chat/sub/create", alice.token(), Map.of("chatUUID", chat, "name", "s"))),
                        "chat:update", "chat:update"),
                new Step("delete", () -> api.ok(api.delete("/message", alice.token(), msg)), "message:update", "message:update"));
        for (Step step : steps) {
            step.action().run();
            if (step.toAlice() != null) {
                assertEquals(step.toAlice(), name(next(a)), step.what() + " to alice");
            }
            assertEquals(step.toBob(), name(next(b)), step.what() + " to bob");
        }
        // Eve joins by handle: she gets the chat, the members hear about her; then typing is relayed.
        api.ok(api.post("/chat/join", eve.token(), Map.of("handle", "team")));
        assertEquals("chat:new", name(next(e)));
        assertEquals("chat:member:joined", name(next(a)));
        assertEquals("chat:member:joined", name(next(b)));
        sockets.get(2).emit("chat:member:activity", new JSONObject(Map.of("chatUUID", chat, "action", "TYPING")));
        assertEquals("chat:member:activity", name(next(a)));
        assertEquals("chat:member:activity", name(next(b)));
        api.ok(api.post("/chat/leave", eve.token(), Map.of("chatUUID", chat)));
        assertEquals("chat:member:left", name(next(a)));
        assertEquals("chat:member:left", name(next(b)));
        assertEquals("chat:member:left", name(next(e)));
        // Nothing else was queued for anyone: every event above went exactly where it should.
        for (BlockingQueue<String> q : List.of(a, b, e)) {
            String extra = q.poll(300, TimeUnit.MILLISECONDS);
            while (extra != null && extra.startsWith("user:presence")) {
                extra = q.poll(300, TimeUnit.MILLISECONDS);
            }
            assertNull(extra, "unexpected event");
        }
    }

    /**
     * Moderation on the socket: an invitee gets the chat, a role change and a ban reach the members, and a kicked
     * or banned member hears their own {@code chat:member:left} (with its reason) and then nothing more of the chat.
     */
    @org.junit.jupiter.api.Test
    void aRemovedMemberHearsTheirRemovalAndNothingAfter() throws Exception {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        RawApi.Account eve = api.signup("eve");
        BlockingQueue<String> a = connect(WebSocket.NAME, alice.token(), ALL);
        BlockingQueue<String> b = connect(WebSocket.NAME, bob.token(), ALL);
        BlockingQueue<String> e = connect(WebSocket.NAME, eve.token(), ALL);
        for (BlockingQueue<String> q : List.of(a, b, e)) assertEquals("connect", q.poll(10, TimeUnit.SECONDS));
        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Team",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        assertEquals("chat:new", name(next(a)));
        assertEquals("chat:new", name(next(b)));

        api.ok(api.post("/chat/invite", alice.token(), Map.of("chatUUID", chat, "userUUIDs", List.of(eve.uuid()))));
        assertEquals("chat:new", name(next(e)));
        String joined = next(b);
        assertEquals("chat:member:joined", name(joined));
        assertEquals(alice.uuid(), new JSONObject(joined.substring(joined.indexOf(' ') + 1)).getString("by"));
        assertEquals("chat:member:joined", name(next(a)));

        api.ok(api.put("/chat/admin", alice.token(), Map.of("chatUUID", chat, "userUUID", bob.uuid())));
        for (BlockingQueue<String> q : List.of(a, b, e)) {
            String roles = next(q);
            assertEquals("chat:update", name(roles));
            assertEquals("roles", new JSONObject(roles.substring(roles.indexOf(' ') + 1)).getString("action"));
        }

        api.ok(api.post("/chat/kick", bob.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        String left = next(e);
        assertEquals("chat:member:left", name(left), "the kicked member hears of it");
        JSONObject l = new JSONObject(left.substring(left.indexOf(' ') + 1));
        assertEquals("kick", l.getString("reason"));
        assertEquals(bob.uuid(), l.getString("by"));
        assertEquals(eve.uuid(), l.getJSONObject("user").getString("uuid"));
        assertEquals("chat:member:left", name(next(a)));
        assertEquals("chat:member:left", name(next(b)));

        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "after the kick")));
        api.ok(api.patch("/chat/rename", alice.token(), Map.of("chatUUID", chat, "name", "T2")));
        for (BlockingQueue<String> q : List.of(a, b)) {
            assertEquals("message:new", name(next(q)));
            assertEquals("chat:update", name(next(q)));
        }
        api.ok(api.put("/chat/ban", alice.token(), Map.of("chatUUID", chat, "userUUID", eve.uuid())));
        assertEquals("chat:update", name(next(a)), "a ban of someone outside is a chat:update to the members");
        assertEquals("chat:update", name(next(b)));
        for (BlockingQueue<String> q : List.of(a, b, e)) {
            String extra = q.poll(300, TimeUnit.MILLISECONDS);
            while (extra != null && extra.startsWith("user:presence")) {
                extra = q.poll(300, TimeUnit.MILLISECONDS);
            }
            assertNull(extra, "unexpected event");
        }
    }

    private static Map<String, Object> with(Map<String, Object> base, String key, Object value) {
        Map<String, Object> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    /**
     * Messages posted to one chat by several requests at once reach a member in the order of their ids (commit
     * order): announcements are queued under the database lock and made by one thread. When each request's thread
     * announced its own after releasing the lock, a later id could overtake an earlier one.
     */
    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void concurrentSendsToOneChatArriveInIdOrder(String transport) throws Exception {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Order",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        BlockingQueue<String> bobs = connect(transportName(transport), bob.token(), "message:new");
        assertEquals("connect", bobs.poll(10, TimeUnit.SECONDS));
        int senders = 4;
        int each = 40;
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(senders);
        try {
            List<java.util.concurrent.Future<?>> done = new ArrayList<>();
            for (int t = 0; t < senders; t++) {
                int sender = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "subID", 0,
                                "content", "from " + sender + " #" + i)));
                    }
                }));
            }
            for (var f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < senders * each; i++) {
            String event = bobs.poll(10, TimeUnit.SECONDS);
            assertNotNull(event, "message " + (i + 1) + " of " + senders * each + " never arrived; got " + ids.size());
            ids.add(new JSONObject(event.substring("message:new ".length())).getLong("id"));
        }
        List<Long> expected = java.util.stream.LongStream.rangeClosed(1, senders * each).boxed().toList();
        assertEquals(expected, ids, "ids in arrival order");
    }
}
