package dev.novyse.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 7 (docs/architecture.md#invariant-7)
 * against a real HTTP peer that answers badly: {@code novyse sync} exits 5 (server) or 4 (network) with
 * one line on stderr and nothing on stdout, and the database content (projection and cursors) is what it was.
 */
class MalformedReplyE2eTest {
    @TempDir
    Path dir;
    NovyseServer server;
    HttpServer fake;
    RawApi api;
    volatile int status;
    volatile String body;
    volatile String contentType;
    /** Replies forwarded to the real server before the canned one is served (paging tests). */
    final AtomicInteger passThrough = new AtomicInteger();
    final AtomicInteger hits = new AtomicInteger();
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() throws IOException {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        fake = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        fake.createContext("/", ex -> {
            hits.incrementAndGet();
            byte[] requestBody;
            try (InputStream in = ex.getRequestBody()) {
                requestBody = in.readAllBytes();
            }
            int code = status;
            byte[] reply = body.getBytes(StandardCharsets.UTF_8);
            String type = contentType;
            if (passThrough.getAndDecrement() > 0) {
                try {
                    HttpRequest.Builder rb = HttpRequest.newBuilder(URI.create(server.url() + ex.getRequestURI()))
                            .method(ex.getRequestMethod(), requestBody.length == 0 ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofByteArray(requestBody))
                            .header("Authorization", ex.getRequestHeaders().getFirst("Authorization"))
                            .header("Content-Type", "application/json");
                    HttpResponse<byte[]> r = http.send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
                    code = r.statusCode();
                    reply = r.body();
                    type = "application/json";
                } catch (InterruptedException e) {
                    throw new IOException(e);
                }
            }
            ex.getResponseHeaders().add("Content-Type", type);
            ex.sendResponseHeaders(code, reply.length == 0 ? -1 : reply.length);
            try (var out = ex.getResponseBody()) {
                out.write(reply);
            }
        });
        fake.start();
    }

    @AfterEach
    void tearDown() {
        fake.stop(0);
        server.close();
    }

    String fakeUrl() {
        return "http://127.0.0.1:" + fake.getAddress().getPort();
    }

    void answer(int status, String contentType, String body) {
        this.status = status;
        this.contentType = contentType;
        this.body = body;
    }

    /** A CLI account whose store is synced with the real server, with something in it. */
    Path syncedAccount() throws IOException {
        Path data = dir.resolve("client");
        E2e.cliSignup(data, server.url(), "alice");
        String me = E2e.credentials(data).path("userUUID").asText();
        String token = E2e.credentials(data).path("token").asText();
        E2e.As alice = new E2e.As(api, new RawApi.Account("alice", token, me, null));
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        String chat = alice.createChat("GROUP", "Room", "room_x", bob.uuid());
        for (int i = 0; i < 5; i++) bob.send(chat, 0, "m" + i);
        bob.ok("PUT", "/message/reaction", E2e.As.msg(chat, 0, 2, "reaction", "👍"));
        alice.ok("PUT", "/user/settings/preferences", Map.of("key", "theme", "value", "dark"));
        E2e.Run r = E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet");
        assertEquals(0, r.code(), r.toString());
        alice.send(chat, 0, "not synced yet"); // the server has news the client must not half-apply
        return data;
    }

    record Snapshot(Projection projection, List<String> cursors) {
        static Snapshot of(Path db) {
            return new Snapshot(Projection.client(db), Projection.cursors(db));
        }
    }

    void assertSyncFailsCleanly(Path data, int expectedCode, String what) throws IOException {
        Path db = E2e.accountDir(data).resolve("store.db");
        Snapshot before = Snapshot.of(db);
        E2e.Run r = E2e.cli("", "--data-dir", data.toString(), "sync");
        assertEquals(expectedCode, r.code(), what + ": exit code; stderr: " + r.err());
        assertEquals("", r.out(), what + ": stdout must stay empty");
        assertEquals(1, r.errLines().size(), what + ": stderr must be one line: " + r.err());
        assertTrue(r.err().startsWith("novyse: "), what + ": " + r.err());
        assertFalse(r.err().contains("Exception"), what + ": a stack trace or exception name leaked: " + r.err());
        Snapshot after = Snapshot.of(db);
        Projection.assertSame(before.projection(), after.projection(), what);
        assertEquals(before.cursors(), after.cursors(), what + ": cursors moved");
        assertEquals("ok", Projection.integrityCheck(db));
    }

    @Test
    void malformedUpdateRepliesExit5AndChangeNothing() throws IOException {
        Path data = syncedAccount();
        String chat = Projection.client(E2e.accountDir(data).resolve("store.db")).lines().stream()
                .filter(l -> l.startsWith("chat ")).findFirst().orElseThrow().split(" ")[1];
        E2e.pointCredentialsAt(data, fakeUrl());
        String json = "application/json";
        List<Object[]> cases = new ArrayList<>(List.of(
                new Object[]{"garbage", 200, json, "<<< not json at all >>>"},
                new Object[]{"truncated JSON", 200, json, "{\"success\":true,\"data\":{\"chats\":{\"new\":[{\"uuid\":\"x\""},
                new Object[]{"trailing garbage", 200, json, "{\"success\":true,\"data\":{}} trailing"},
                new Object[]{"messages as a string", 200, json, "{\"success\":true,\"data\":{\"messages\":\"oops\"}}"},
                new Object[]{"a message id as an object", 200, json, "{\"success\":true,\"data\":{\"messages\":[{\"id\":{\"n\":7},"
                        + "\"chatUUID\":\"" + chat + "\",\"subID\":0,\"userUUID\":\"u\",\"content\":\"evil\"}]}}"},
                new Object[]{"events as a number", 200, json, "{\"success\":true,\"data\":{\"chats\":{\"events\":42}}}"},
                new Object[]{"HTTP 502 with an HTML page", 502, "text/html", "<html><body><h1>502 Bad Gateway</h1>\n</body></html>"},
                new Object[]{"HTTP 500 envelope", 500, json, "{\"success\":false,\"error\":\"INTERNAL\",\"message\":\"boom\"}"},
                new Object[]{"success:false with 200", 200, json, "{\"success\":false,\"error\":\"WEIRD\",\"message\":\"no\\nway\"}"},
                new Object[]{"an empty body", 200, json, ""},
                new Object[]{"no data", 200, json, "{\"success\":true}"},
                new Object[]{"a JSON array", 200, json, "[1,2,3]"},
                new Object[]{"hasMore forever without data", 200, json, "{\"success\":true,\"data\":{\"hasMore\":true}}"},
                new Object[]{"a message of a chat the client does not have", 200, json, "{\"success\":true,\"data\":{\"messages\":[{\"id\":1,"
                        + "\"chatUUID\":\"00000000-0000-0000-0000-000000000000\",\"subID\":0,\"userUUID\":\"u\",\"content\":\"stray\",\"created_at\":\"2026-01-01T00:00:00.000Z\"}]}}"},
                new Object[]{"a message id that skips ahead of the cursor", 200, json, "{\"success\":true,\"data\":{\"messages\":[{\"id\":60,"
                        + "\"chatUUID\":\"" + chat + "\",\"subID\":0,\"userUUID\":\"u\",\"content\":\"gap\",\"created_at\":\"2026-01-01T00:00:00.000Z\"}]}}"}));
        List<String> failures = new ArrayList<>();
        for (Object[] c : cases) {
            answer((Integer) c[1], (String) c[2], (String) c[3]);
            try {
                assertSyncFailsCleanly(data, 5, (String) c[0]);
            } catch (AssertionError e) {
                failures.add(c[0] + ": " + e.getMessage().lines().limit(4).reduce((a, b) -> a + " / " + b).orElse(""));
            }
        }
        assertTrue(hits.get() >= cases.size(), "the fake server was not asked");
        assertEquals(List.of(), failures, "cases that did not fail cleanly with exit 5");
    }

    @Test
    void malformedInitializeRepliesExit5AndLeaveAnEmptyStore() throws IOException {
        Path data = dir.resolve("fresh");
        E2e.cliSignup(data, server.url(), "newbie");
        Path db = E2e.accountDir(data).resolve("store.db");
        LocalDatabase.open(db).close(); // what the CLI creates before it asks the server anything
        E2e.pointCredentialsAt(data, fakeUrl());
        String json = "application/json";
        List<String> failures = new ArrayList<>();
        for (Object[] c : List.of(
                new Object[]{"garbage", 200, json, "\u0000\u0001binary"},
                new Object[]{"truncated", 200, json, "{\"success\":true,\"data\":{\"local\":{\"user\":{\"uuid\":\"abc\""},
                new Object[]{"chats as a string", 200, json, "{\"success\":true,\"data\":{\"local\":{\"user\":{\"uuid\":\"abc\",\"name\":\"x\"}},\"chats\":\"no\"}}"},
                new Object[]{"no local user", 200, json, "{\"success\":true,\"data\":{\"chats\":[],\"users\":[]}}"},
                new Object[]{"HTTP 502 HTML", 502, "text/html", "<html>Bad Gateway</html>"},
                new Object[]{"success:false", 200, json, "{\"success\":false,\"error\":\"NOPE\"}"})) {
            answer((Integer) c[1], (String) c[2], (String) c[3]);
            try {
                assertSyncFailsCleanly(data, 5, (String) c[0]);
                assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM sync_state WHERE key NOT LIKE 'skipped.%'"));
            } catch (AssertionError e) {
                failures.add(c[0] + ": " + e.getMessage().lines().limit(4).reduce((a, b) -> a + " / " + b).orElse(""));
            }
        }
        assertEquals(List.of(), failures);
    }

    @Test
    void cutConnectionsAndDeadServersExit4() throws Exception {
        Path data = syncedAccount();
        try (FaultProxy proxy = new FaultProxy(server.port())) {
            proxy.mode(FaultProxy.Mode.CUT_BEFORE_FORWARD);
            E2e.pointCredentialsAt(data, proxy.url());
            assertSyncFailsCleanly(data, 4, "a connection closed before any reply");
            proxy.mode(FaultProxy.Mode.CUT_AFTER_FORWARD);
            assertSyncFailsCleanly(data, 4, "a connection reset after the server answered");
        }
        E2e.pointCredentialsAt(data, "http://127.0.0.1:" + E2e.deadPort());
        assertSyncFailsCleanly(data, 4, "nothing listening");
    }

    @Test
    void aGoodPageThenAMalformedOneKeepsTheGoodPageOnly() {
        RawApi.Account a = api.signup("pager");
        E2e.As alice = new E2e.As(api, a);
        E2e.As bob = new E2e.As(api, api.signup("bob2"));
        String chat = alice.createChat("GROUP", "Pages", null, bob.uuid());
        Path db = dir.resolve("pager.db");
        try (E2e.Client c = new E2e.Client(server.url(), a.token(), db, 7)) {
            c.sync();
            for (int i = 0; i < 20; i++) bob.send(chat, 0, "page " + i);
        }
        try (LocalDatabase local = LocalDatabase.open(db)) {
            SyncEngine engine = new SyncEngine(new ApiClient(URI.create(fakeUrl()), TokenProvider.fixed(a.token())), local, 7);
            passThrough.set(1);
            answer(200, "application/json", "{\"success\":true,\"data\":{\"messages\":[{\"id\":\"eight\"}]}}");
            ApiException e = assertThrows(ApiException.class, engine::sync);
            assertEquals(ApiException.Kind.BAD_REPLY, e.kind());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertEquals(7, Projection.scalar(db, "SELECT COUNT(*) FROM message"), "exactly the first page is kept");
        assertEquals(List.of(), Projection.holes(db));
        try (E2e.Client c = new E2e.Client(server.url(), a.token(), db, 7)) {
            c.sync();
            Projection.assertSame(Projection.server(server.url(), a.token()), c.projection(), "after resuming");
        }
    }

    @Test
    void unknownEventTypesAreSkippedAndCountedNotFatal() throws IOException {
        Path data = syncedAccount();
        Path db = E2e.accountDir(data).resolve("store.db");
        List<String> cursors = Projection.cursors(db);
        String chatCursor = cursors.stream().filter(l -> l.startsWith("chatcursor ")).findFirst().orElseThrow();
        String chat = chatCursor.substring("chatcursor ".length(), chatCursor.indexOf('='));
        long next = Long.parseLong(chatCursor.substring(chatCursor.indexOf('=') + 1)) + 1;
        E2e.pointCredentialsAt(data, fakeUrl());
        answer(200, "application/json", "{\"success\":true,\"data\":{\"chats\":{\"events\":[{\"id\":" + next
                + ",\"type\":\"FROM_THE_FUTURE\",\"chatUUID\":\"" + chat + "\",\"userUUID\":\"x\",\"payload\":{}}]},"
                + "\"local\":[{\"id\":999,\"type\":\"ALSO_NEW\",\"payload\":{}}]}}");
        Projection before = Projection.client(db);
        E2e.Run r = E2e.cli("", "--data-dir", data.toString(), "sync");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.err().contains("2 unknown events skipped"), r.err());
        Projection.assertSame(before, Projection.client(db), "unknown events");
        assertEquals(1, Projection.scalar(db, "SELECT value FROM sync_state WHERE key = 'skipped.chatEvent.FROM_THE_FUTURE'"));
        assertEquals(next, Projection.scalar(db, "SELECT eventID FROM chat WHERE uuid = '" + chat + "'"));
    }
}
