package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.novyse.server.ServerDatabase.queryString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * API keys through the real server (docs/protocol.md#api-keys): made, listed without secrets, paused, resumed and
 * revoked with effect on the very next request; stored hashed; a read-only key refused every write (403, nothing
 * written); a key never manages keys; a key's live socket closes when the key is paused or revoked, through this
 * process at once and through another process's change (the database alone) within the re-check bound.
 */
class ApiKeyTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static MutableClock clock = new MutableClock();
    static RawApi api;
    static int accounts;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, clock, Duration.ofDays(30)); // session tokens outlive the clock moves below
        api = new RawApi(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static RawApi.Account account() {
        return api.signup("key" + (++accounts));
    }

    static JsonNode create(RawApi.Account who, String name, Object permissions, Long expiresIn) {
        Map<String, Object> body = new HashMap<>();
        body.put("name", name);
        if (permissions != null) body.put("permissions", permissions);
        if (expiresIn != null) body.put("expiresIn", expiresIn);
        return api.ok(api.post("/apikey", who.token(), body));
    }

    @Test
    void aKeyIsMadeListedPausedResumedAndRevokedWithEffectOnTheNextRequest() {
        RawApi.Account alice = account();
        JsonNode made = create(alice, "backup", "read,send", null);
        String key = made.path("key").asText();
        String id = made.path("id").asText();
        assertTrue(key.startsWith("nvk_") && key.length() >= 40, key);
        assertEquals("read,send", made.path("permissions").asText());

        RawApi.Reply listed = api.get("/apikey", alice.token());
        JsonNode keys = api.ok(listed).path("apiKeys");
        assertEquals(1, keys.size());
        JsonNode k = keys.get(0);
        assertEquals(List.of("id", "name", "permissions", "active", "createdAt", "expiresAt", "lastUsedAt", "prefix"),
                iterable(k.fieldNames()));
        assertEquals("backup", k.path("name").asText());
        assertTrue(k.path("active").asBoolean());
        assertTrue(k.path("lastUsedAt").isNull(), "never used yet");
        assertFalse(listed.text().contains(key.substring(12)), "the list never shows the secret");

        assertEquals(200, api.get("/user/initialize", key).status(), "a key acts for its user");
        JsonNode session = api.ok(api.get("/session", key)).path("session");
        assertEquals(alice.uuid(), session.path("userUUID").asText());
        assertEquals(alice.username(), session.path("username").asText());
        assertEquals(id, session.path("apiKey").path("id").asText());
        assertFalse(api.ok(api.get("/apikey", alice.token())).path("apiKeys").get(0).path("lastUsedAt").isNull());

        api.ok(api.patch("/apikey/" + id, alice.token(), Map.of("active", false)));
        RawApi.Reply paused = api.get("/user/initialize", key);
        assertEquals(401, paused.status());
        assertEquals("AUTH_API_KEY_PAUSED", paused.error());
        assertFalse(api.ok(api.get("/apikey", alice.token())).path("apiKeys").get(0).path("active").asBoolean());

        api.ok(api.patch("/apikey/" + id, alice.token(), Map.of("active", true)));
        assertEquals(200, api.get("/user/initialize", key).status(), "resumed");

        api.ok(api.delete("/apikey/" + id, alice.token(), Map.of()));
        RawApi.Reply revoked = api.get("/user/initialize", key);
        assertEquals(401, revoked.status());
        assertEquals("AUTH_INVALID_TOKEN", revoked.error());
        assertEquals(0, api.ok(api.get("/apikey", alice.token())).path("apiKeys").size());
        assertEquals(404, api.delete("/apikey/" + id, alice.token(), Map.of()).status(), "revoked is gone");
    }

    @Test
    void keysAreStoredHashedAndOnlyTheirOwnerManagesThem() {
        RawApi.Account alice = account();
        RawApi.Account bob = account();
        JsonNode made = create(alice, "ci", null, null);
        String key = made.path("key").asText();
        String id = made.path("id").asText();
        assertEquals("read", made.path("permissions").asText(), "a key reads only unless asked");
        String stored = server.database().read(c -> queryString(c, "SELECT secret_hash FROM api_keys WHERE id=?", id));
        assertEquals(ApiKeyService.hash(key), stored);
        assertFalse(stored.contains(key.substring(4)));

        assertEquals(404, api.patch("/apikey/" + id, bob.token(), Map.of("active", false)).status(), "not bob's key");
        assertEquals(404, api.delete("/apikey/" + id, bob.token(), Map.of()).status());
        assertEquals(0, api.ok(api.get("/apikey", bob.token())).path("apiKeys").size());
        assertEquals(400, api.post("/apikey", alice.token(), Map.of("name", "x", "permissions", "admin")).status());
        assertEquals(400, api.post("/apikey", alice.token(), Map.of("permissions", "read")).status(), "a name is needed");
        assertEquals(400, api.patch("/apikey/" + id, alice.token(), Map.of("active", "no")).status());
    }

    @Test
    void aKeyCannotManageKeysNorActBeyondItsPermissions() {
        RawApi.Account alice = account();
        String full = create(alice, "full", "read,send", null).path("key").asText();
        for (String key : List.of(full, create(alice, "ro", "read", null).path("key").asText())) {
            RawApi.Reply mint = api.post("/apikey", key, Map.of("name", "more"));
            assertEquals(403, mint.status(), mint.text());
            assertEquals("FORBIDDEN", mint.error());
            assertEquals(403, api.get("/apikey", key).status());
            assertEquals(403, api.post("/logout", key, Map.of()).status(), "a key is no session to end");
            assertEquals(403, api.patch("/user/profile", key, Map.of("name", "Mallory")).status());
        }
        assertEquals(2, api.ok(api.get("/apikey", alice.token())).path("apiKeys").size(), "nothing minted");
    }

    @Test
    void aReadOnlyKeyReadsAndIsRefusedSendingWithNothingWritten() {
        RawApi.Account alice = account();
        RawApi.Account bob = account();
        String chat = api.ok(api.post("/chat/create", alice.token(), Map.of("type", "GROUP", "name", "Ops",
                "memberUUIDs", List.of(bob.uuid())))).path("chat").path("uuid").asText();
        api.ok(api.post("/message", alice.token(), Map.of("chatUUID", chat, "content", "first")));
        String readOnly = create(bob, "reader", "read", null).path("key").asText();
        String sender = create(bob, "bot", "read,send", null).path("key").asText();

        JsonNode init = api.ok(api.get("/user/initialize", readOnly));
        assertEquals(1, init.path("messages").size());
        assertEquals(200, api.post("/user/update", readOnly, Map.of("local", Map.of("eventID", 0))).status(), "syncing is a read");

        RawApi.Reply refused = api.post("/message", readOnly, Map.of("chatUUID", chat, "content", "nope"));
        assertEquals(403, refused.status(), refused.text());
        assertEquals("FORBIDDEN", refused.error());
        assertEquals(403, api.put("/message/reaction", readOnly, Map.of("chatUUID", chat, "subID", 0, "messageID", 1,
                "reaction", "+1")).status());
        assertEquals(1, api.ok(api.get("/user/initialize", alice.token())).path("messages").size(), "nothing written");

        JsonNode sent = api.ok(api.post("/message", sender, Map.of("chatUUID", chat, "content", "from the bot")));
        assertEquals(bob.uuid(), sent.path("userUUID").asText(), "a key sends as its user");
        assertEquals(403, api.patch("/chat/rename", sender, Map.of("chatUUID", chat, "name", "Mine")).status(),
                "a key never moderates, whatever its user may do");
    }

    @Test
    void anExpiredKeyStopsWorking() {
        RawApi.Account alice = account();
        String key = create(alice, "short", "read", 3600L).path("key").asText();
        assertEquals(200, api.get("/user/initialize", key).status());
        clock.advance(Duration.ofHours(2));
        RawApi.Reply expired = api.get("/user/initialize", key);
        assertEquals(401, expired.status());
        assertEquals("AUTH_API_KEY_EXPIRED", expired.error());
    }

    /** A socket admitted with {@code token}: its connect, connect_error and disconnect land in a queue. */
    private static BlockingQueue<String> connect(List<Socket> sockets, String token) {
        Socket socket = IO.socket(URI.create(server.url()), IO.Options.builder().setTransports(new String[]{"websocket"})
                .setReconnection(false).setAuth(Map.of("token", token)).build());
        sockets.add(socket);
        BlockingQueue<String> q = new LinkedBlockingQueue<>();
        socket.on(Socket.EVENT_CONNECT, a -> q.add("connect"));
        socket.on(Socket.EVENT_CONNECT_ERROR, a -> q.add("connect_error " + (a.length > 0 ? a[0] : "")));
        socket.on(Socket.EVENT_DISCONNECT, a -> q.add("disconnect " + (a.length > 0 ? a[0] : "")));
        socket.connect();
        return q;
    }

    @Test
    void aKeysLiveSocketClosesWhenTheKeyIsPausedOrRevoked() throws Exception {
        RawApi.Account alice = account();
        JsonNode paused = create(alice, "watch1", "read", null);
        JsonNode revoked = create(alice, "watch2", "read", null);
        JsonNode elsewhere = create(alice, "watch3", "read", null);
        List<Socket> sockets = new java.util.ArrayList<>();
        try {
            BlockingQueue<String> p = connect(sockets, paused.path("key").asText());
            BlockingQueue<String> r = connect(sockets, revoked.path("key").asText());
            BlockingQueue<String> e = connect(sockets, elsewhere.path("key").asText());
            BlockingQueue<String> session = connect(sockets, alice.token());
            for (BlockingQueue<String> q : List.of(p, r, e, session)) assertEquals("connect", q.poll(10, TimeUnit.SECONDS));

            api.ok(api.patch("/apikey/" + paused.path("id").asText(), alice.token(), Map.of("active", false)));
            api.ok(api.delete("/apikey/" + revoked.path("id").asText(), alice.token(), Map.of()));
            String pe = p.poll(5, TimeUnit.SECONDS);
            String re = r.poll(5, TimeUnit.SECONDS);
            assertNotNull(pe, "a paused key's socket closes at once");
            assertTrue(pe.startsWith("disconnect"), pe);
            assertNotNull(re, "a revoked key's socket closes at once");
            assertTrue(re.startsWith("disconnect"), re);

            // Another server process pausing the key changes only the shared database: the re-check catches it.
            server.database().write(c -> ServerDatabase.update(c, "UPDATE api_keys SET active=0 WHERE id=?",
                    elsewhere.path("id").asText()));
            String ee = e.poll(NovyseServer.KEY_RECHECK.toSeconds() * 2 + 5, TimeUnit.SECONDS);
            assertNotNull(ee, "closed within the re-check bound");
            assertTrue(ee.startsWith("disconnect"), ee);

            assertEquals(null, session.poll(200, TimeUnit.MILLISECONDS), "a session's socket stays");
            String again = connect(sockets, paused.path("key").asText()).poll(10, TimeUnit.SECONDS);
            assertNotNull(again);
            assertTrue(again.contains("AUTH_API_KEY_PAUSED"), again);
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    @Test
    void aSessionsLiveSocketClosesWhenItSignsOutHereOrElsewhere() throws Exception {
        RawApi.Account alice = account();
        RawApi.Account aliceAgain = api.signin(alice.username());
        RawApi.Account aliceThird = api.signin(alice.username());
        assertTrue(!alice.session().equals(aliceThird.session()), "three sessions");
        List<Socket> sockets = new java.util.ArrayList<>();
        try {
            BlockingQueue<String> out = connect(sockets, alice.token());
            BlockingQueue<String> stays = connect(sockets, aliceAgain.token());
            BlockingQueue<String> elsewhere = connect(sockets, aliceThird.token());
            for (BlockingQueue<String> q : List.of(out, stays, elsewhere)) assertEquals("connect", q.poll(10, TimeUnit.SECONDS));

            api.ok(api.post("/logout", alice.token(), Map.of()));
            String gone = out.poll(5, TimeUnit.SECONDS);
            assertNotNull(gone, "the signed-out session's socket closes at once");
            assertTrue(gone.startsWith("disconnect"), gone);

            // Signed out through another server process: the shared database alone knows; the re-check catches it.
            server.database().write(c -> ServerDatabase.update(c, "UPDATE sessions SET revoked=1 WHERE secret=?",
                    aliceThird.session()));
            String late = elsewhere.poll(NovyseServer.KEY_RECHECK.toSeconds() * 2 + 5, TimeUnit.SECONDS);
            assertNotNull(late, "closed within the re-check bound");
            assertTrue(late.startsWith("disconnect"), late);

            assertEquals(null, stays.poll(200, TimeUnit.MILLISECONDS), "another session of the account stays");
            String again = connect(sockets, alice.token()).poll(10, TimeUnit.SECONDS);
            assertNotNull(again);
            assertTrue(again.startsWith("connect_error"), again);
        } finally {
            sockets.forEach(Socket::close);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
