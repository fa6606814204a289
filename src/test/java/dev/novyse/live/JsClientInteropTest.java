package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The reference JavaScript client — npm's {@code socket.io-client}, run by node through src/test/js/interop-client.js
 * — against the real server: it connects with {@code auth: {token}} over websocket only, over long-polling only
 * (no upgrade), and with polling upgrading to websocket; it receives the {@code message:new} of another account's
 * REST send; a forged or missing token is refused with the documented {@code connect_error} codes.
 *
 * <p>The client's packages are put in target/js/node_modules by Maven's generate-test-resources phase (WebJars
 * from Maven Central plus the npm tarballs vendored in src/test/js/vendor), and node is installed there when it is
 * missing. The script reports what it observed as JSON lines; every wait below is a bounded wait for such a line.
 */
class JsClientInteropTest {
    private static final Path MODULES = Path.of("target", "js", "node_modules").toAbsolutePath();
    private static final Path SCRIPT = Path.of("src", "test", "js", "interop-client.js").toAbsolutePath();
    /** Failure bound for any one observation; a passing run takes milliseconds per step. */
    private static final long BOUND_SECONDS = 15;

    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    final List<JsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        assertTrue(Files.isRegularFile(MODULES.resolve("socket.io-client/package.json")),
                "the JavaScript client is missing from " + MODULES + ": run 'mvn generate-test-resources' first");
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
    }

    @AfterEach
    void stop() {
        clients.forEach(JsClient::kill);
        server.close();
    }

    /** Put in a client's queue after its last line. */
    private static final JsonNode END = Json.mapper().createObjectNode().put("event", "end of output");

    /** One run of the node script: its JSON lines in a queue, its stderr in a file for failure messages. */
    private final class JsClient {
        final Process process;
        final Path stderr;
        final BlockingQueue<JsonNode> lines = new LinkedBlockingQueue<>();
        final String label;
        volatile boolean quitting;

        JsClient(String transports, String token) {
            this.label = "node client (" + transports + ")";
            this.stderr = dir.resolve("node-" + clients.size() + ".stderr");
            List<String> command = new ArrayList<>(List.of("node", SCRIPT.toString(), server.url(), transports));
            if (token != null) {
                command.add(token);
            }
            ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
            pb.environment().put("NODE_PATH", MODULES.toString());
            pb.environment().remove("DEBUG"); // the debug package would write the client's traces to stderr
            try {
                process = pb.start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot run node (the build installs it: src/test/sh/provision)", e);
            }
            clients.add(this);
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        lines.add(Json.mapper().readTree(line));
                    }
                } catch (IOException e) {
                    lines.add(Json.mapper().createObjectNode().put("event", "unreadable").put("message", e.toString()));
                }
                lines.add(END);
            }, label + " stdout");
            reader.setDaemon(true);
            reader.start();
        }

        /** The next observation; fails the test (with the client's stderr) when none comes within the bound. */
        JsonNode next() {
            JsonNode line;
            try {
                line = lines.poll(BOUND_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            if (line == null) {
                fail(label + " reported nothing within " + BOUND_SECONDS + " s; stderr: " + stderrText()
                        + "\nserver threads that are blocked or waiting in the live layer:\n" + liveThreads());
            }
            if (line == END && quitting) {
                return line;
            }
            if (line == END || line.path("event").asText().equals("fatal") || line.path("event").asText().equals("unreadable")) {
                fail(label + " failed: " + line + "; stderr: " + stderrText());
            }
            return line;
        }

        /** The next observation, which must be {@code event}. */
        JsonNode next(String event) {
            JsonNode line = next();
            assertEquals(event, line.path("event").asText(), label + " reported " + line + " instead of " + event);
            return line;
        }

        /** Asks the client to disconnect and exit; returns what it reported meanwhile and checks it exited with 0. */
        List<JsonNode> quit() {
            quitting = true;
            try (OutputStream in = process.getOutputStream()) {
                in.write("quit\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the client may already have exited; its exit code tells
            }
            try {
                assertTrue(process.waitFor(BOUND_SECONDS, TimeUnit.SECONDS), label + " did not exit; stderr: " + stderrText());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            assertEquals(0, process.exitValue(), label + " exit code; stderr: " + stderrText());
            List<JsonNode> rest = new ArrayList<>();
            for (JsonNode line = next(); line != END; line = next()) {
                rest.add(line);
            }
            return rest;
        }

        void kill() {
            process.destroyForcibly();
        }

        String stderrText() {
            try {
                return Files.exists(stderr) ? Files.readString(stderr) : "";
            } catch (IOException e) {
                return e.toString();
            }
        }
    }

    /** The stacks of threads inside Engine.IO or the live gateway (the server runs in this JVM): a stuck send shows. */
    private static String liveThreads() {
        StringBuilder sb = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, stack) -> {
            boolean live = java.util.Arrays.stream(stack).anyMatch(f -> f.getClassName().startsWith("io.socket.engineio")
                    || f.getClassName().startsWith("dev.novyse.server.live"));
            if (live) {
                sb.append(t.getName()).append(' ').append(t.getState()).append('\n');
                for (int i = 0; i < Math.min(stack.length, 40); i++) sb.append("    at ").append(stack[i]).append('\n');
            }
        });
        return sb.toString();
    }

    private String groupWith(RawApi.Account owner, RawApi.Account member) {
        return api.ok(api.post("/chat/create", owner.token(), Map.of("type", "GROUP", "name", "Interop",
                "memberUUIDs", List.of(member.uuid())))).path("chat").path("uuid").asText();
    }

    private JsonNode send(RawApi.Account author, String chat, String content, String tempId) {
        return api.ok(api.post("/message", author.token(), Map.of("chatUUID", chat, "subID", 0, "content", content,
                "tempId", tempId)));
    }

    /** A message:new as the JS client decoded it must be the message the REST send committed. */
    private static void assertSameMessage(JsonNode sent, JsonNode received, String transport) {
        assertEquals("message:new", received.path("event").asText(), received.toString());
        JsonNode m = received.path("payload");
        assertEquals(sent.path("id").asLong(), m.path("id").asLong(), "id: " + m);
        assertTrue(m.path("id").isIntegralNumber(), "the message id is a number: " + m);
        assertEquals(sent.path("chatUUID").asText(), m.path("chatUUID").asText());
        assertEquals(0, m.path("subID").asInt(-1));
        assertTrue(m.path("subID").isIntegralNumber(), "subID is a number: " + m);
        assertEquals(sent.path("userUUID").asText(), m.path("userUUID").asText());
        assertEquals(sent.path("content").asText(), m.path("content").asText());
        assertEquals(transport, received.path("transport").asText(), "the transport the client used: " + received);
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void theReferenceClientReceivesAnotherAccountsMessage(String transport) {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        String chat = groupWith(alice, bob);

        JsClient bobs = new JsClient(transport, bob.token());
        JsClient alices = new JsClient(transport, alice.token());
        JsonNode connected = bobs.next("connect");
        assertEquals(transport, connected.path("transport").asText(), "transport at connect: " + connected);
        assertFalse(connected.path("id").asText().isEmpty(), "the server's CONNECT carries a sid: " + connected);
        assertEquals(transport, alices.next("connect").path("transport").asText());

        for (int i = 1; i <= 3; i++) {
            JsonNode sent = send(alice, chat, "héllo ✓ from the REST API #" + i, "js-" + i);
            assertEquals(i, sent.path("id").asLong());
            JsonNode toBob = bobs.next();
            assertSameMessage(sent, toBob, transport);
            assertTrue(toBob.path("payload").path("tempId").isMissingNode(), "the tempId is the author's: " + toBob);
            JsonNode toAlice = alices.next();
            assertSameMessage(sent, toAlice, transport);
            assertEquals("js-" + i, toAlice.path("payload").path("tempId").asText(), "the author's copy: " + toAlice);
        }

        // A burst: over polling, several packets then share one response (Engine.IO 4's record separator).
        List<JsonNode> burst = new ArrayList<>();
        for (int i = 4; i <= 23; i++) {
            burst.add(send(alice, chat, "burst " + i + " 🚀", "js-" + i));
        }
        for (JsonNode sent : burst) {
            assertSameMessage(sent, bobs.next(), transport);
        }
        for (JsonNode sent : burst) {
            assertSameMessage(sent, alices.next(), transport);
        }

        for (JsClient c : List.of(bobs, alices)) {
            List<JsonNode> rest = c.quit();
            assertEquals(1, rest.size(), "only the disconnect follows: " + rest);
            assertEquals("disconnect", rest.get(0).path("event").asText(), rest.toString());
            assertEquals("io client disconnect", rest.get(0).path("reason").asText(), rest.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"websocket", "polling"})
    void theReferenceClientSeesTheRefusalCodes(String transport) {
        JsClient forged = new JsClient(transport, "not-a-token");
        JsClient none = new JsClient(transport, null);
        RawApi.Account carol = api.signup("carol");
        api.ok(api.post("/logout", carol.token(), Map.of()));
        JsClient revoked = new JsClient(transport, carol.token());

        for (Object[] c : new Object[][]{{forged, "AUTH_INVALID_TOKEN"}, {none, "AUTH_NO_TOKEN"}, {revoked, "AUTH_INVALID_TOKEN"}}) {
            JsClient client = (JsClient) c[0];
            JsonNode refused = client.next("connect_error");
            assertEquals(c[1], refused.path("data").path("code").asText(), "connect_error's data.code: " + refused);
            assertFalse(refused.path("message").asText().isEmpty(), "connect_error carries a message: " + refused);
            assertEquals(List.of(), client.quit(), "no connect and no disconnect after a refusal");
        }
    }

    @Test
    void theReferenceClientsDefaultPollingUpgradesToWebsocket() {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        String chat = groupWith(alice, bob);

        JsClient bobs = new JsClient("polling,websocket", bob.token());
        Set<String> seen = new HashSet<>();
        while (!seen.containsAll(Set.of("connect", "upgrade"))) {
            JsonNode line = bobs.next();
            String event = line.path("event").asText();
            assertTrue(seen.add(event), "unexpected " + line);
            if (event.equals("upgrade")) {
                assertEquals("websocket", line.path("transport").asText(), line.toString());
            } else {
                assertEquals("connect", event, line.toString());
            }
        }

        JsonNode sent = send(alice, chat, "after the upgrade", "up-1");
        assertSameMessage(sent, bobs.next(), "websocket");
        List<JsonNode> rest = bobs.quit();
        assertEquals(1, rest.size(), rest.toString());
        assertEquals("io client disconnect", rest.get(0).path("reason").asText(), rest.toString());
    }

    /**
     * Live frames keep their order across the switch from long-polling to the websocket (engine.io holds packets
     * while the client probes the websocket, and what it held must go out before anything later). Alice sends from
     * Bob's connect on until twenty more after his client said it upgraded (often before the connect): Bob gets every
     * message once, in the order they were sent, whichever transport carried it.
     */
    @Test
    void messagesKeepTheirOrderAcrossTheUpgrade() {
        RawApi.Account alice = api.signup("alice");
        RawApi.Account bob = api.signup("bob");
        String chat = groupWith(alice, bob);

        JsClient bobs = new JsClient("polling,websocket", bob.token());
        List<JsonNode> early = new ArrayList<>(); // the upgrade may come before the connect
        for (JsonNode line = bobs.next(); !line.path("event").asText().equals("connect"); line = bobs.next()) {
            assertEquals("upgrade", line.path("event").asText(), "unexpected " + line);
            early.add(line);
        }
        List<Long> sent = new ArrayList<>();
        for (int i = 0, afterUpgrade = 0; afterUpgrade < 20; i++) {
            assertTrue(i < 2_000, "no upgrade reported after 2,000 messages: " + early);
            sent.add(send(alice, chat, "in order " + i, "order-" + i).path("id").asLong());
            bobs.lines.drainTo(early);
            if (early.contains(END)) fail(bobs.label + " ended: " + early + "; stderr: " + bobs.stderrText());
            if (afterUpgrade > 0 || early.stream().anyMatch(l -> l.path("event").asText().equals("upgrade"))) afterUpgrade++;
        }
        List<Long> received = new ArrayList<>();
        Set<String> transports = new HashSet<>();
        java.util.Iterator<JsonNode> before = early.iterator();
        while (received.size() < sent.size()) {
            JsonNode line = before.hasNext() ? before.next() : bobs.next();
            String event = line.path("event").asText();
            if (event.equals("upgrade")) continue;
            assertEquals("message:new", event, "unexpected " + line);
            received.add(line.path("payload").path("id").asLong());
            transports.add(line.path("transport").asText());
        }
        assertEquals(sent, received, "message ids as sent and as Bob's client got them (transports " + transports + ")");
        assertTrue(transports.contains("websocket"), "the last messages came over the websocket: " + transports);
        assertEquals(1, bobs.quit().size(), "nothing after the messages but the disconnect");
    }
}
