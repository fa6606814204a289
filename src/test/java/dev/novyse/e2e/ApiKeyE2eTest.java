package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code novyse apikey} and the commands a script runs with a key instead of a sign-in (docs/output.md#api-keys),
 * against a real server: the secret printed once, listed without it, paused, resumed and revoked; {@code sync},
 * {@code export}, {@code send} and {@code watch} with {@code --api-key-file} or NOVYSE_API_KEY from a data directory
 * nobody signed in to; a read-only key sending refused (exit 5, nothing queued, nothing on the server); a paused or
 * revoked key one line and exit 3, a running {@code watch} included.
 */
class ApiKeyE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;
    static RawApi.Account bob;
    static Path alice;
    static String team;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        alice = dir.resolve("alice");
        E2e.cliSignup(alice, server.url(), "alice");
        bob = api.signup("bob");
        String aliceUUID;
        try {
            aliceUUID = E2e.credentials(alice).path("userUUID").asText();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        team = api.ok(api.post("/chat/create", bob.token(), Map.of("type", "GROUP", "name", "Team", "handle", "team",
                "memberUUIDs", List.of(aliceUUID)))).path("chat").path("uuid").asText();
        api.ok(api.post("/message", bob.token(), Map.of("chatUUID", team, "content", "welcome")));
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static E2e.Run alice(String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", alice.toString(), "--server", server.url()));
        all.addAll(List.of(args));
        return E2e.cli("", all.toArray(String[]::new));
    }

    /** A run in a data directory nobody signed in to, with the key in {@code keyFile}. */
    static E2e.Run withKey(Path keyFile, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", dir.resolve("ci").toString(), "--server", server.url()));
        all.addAll(List.of(args));
        all.addAll(List.of("--api-key-file", keyFile.toString()));
        return E2e.cli("", all.toArray(String[]::new));
    }

    /** {@code apikey create}: the key alone on stdout, the once-only warning on stderr; written to a 0600 file. */
    static Path create(String name, String... flags) throws IOException {
        List<String> args = new ArrayList<>(List.of("apikey", "create", name));
        args.addAll(List.of(flags));
        E2e.Run r = alice(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.toString());
        assertEquals(1, r.out().lines().count(), r.out());
        String key = r.out().strip();
        assertTrue(key.startsWith("nvk_"), key);
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("only this once"), r.err());
        Path file = dir.resolve(name + ".key");
        Files.writeString(file, key + "\n");
        return file;
    }

    static JsonNode listed(String name) throws IOException {
        E2e.Run r = alice("apikey", "list", "--format", "jsonl");
        assertEquals(0, r.code(), r.toString());
        for (String line : r.out().lines().toList()) {
            JsonNode k = Json.mapper().readTree(line);
            if (k.path("name").asText().equals(name)) return k;
        }
        return null;
    }

    static long messagesOnServer() {
        return api.ok(api.get("/message/history?chatUUID=" + team + "&subID=0", bob.token())).path("messages").size();
    }

    @Test
    void aScriptSyncsExportsAndSendsWithAKeyAndStopsWhenItIsPausedOrRevoked() throws Exception {
        Path key = create("cron");
        JsonNode k = listed("cron");
        assertNotNull(k);
        assertEquals("read,send", k.path("permissions").asText());
        assertFalse(alice("apikey", "list").out().contains(Files.readString(key).strip().substring(10)), "no secret");

        E2e.Run synced = withKey(key, "sync");
        assertEquals(0, synced.code(), synced.toString());
        assertTrue(Files.isRegularFile(dir.resolve("ci/accounts/apikey-alice@127.0.0.1_" + server.port() + "/store.db")),
                "the key's store has its own account folder");
        assertFalse(Files.exists(dir.resolve("ci/accounts/apikey-alice@127.0.0.1_" + server.port() + "/credentials.json")),
                "nothing of the key is written");
        // export writes to the file descriptor itself: a process of its own
        E2e.Proc exported = E2e.process(60, "--data-dir", dir.resolve("ci").toString(), "--server", server.url(),
                "export", "--format", "jsonl", "--api-key-file", key.toString());
        assertEquals(0, exported.code(), exported.err());
        assertTrue(exported.outText().contains("welcome"), exported.outText());

        long before = messagesOnServer();
        E2e.Run sent = withKey(key, "send", "@team", "nightly report");
        assertEquals(0, sent.code(), sent.toString());
        assertEquals(before + 1, messagesOnServer());

        String id = k.path("id").asText();
        assertEquals(0, alice("apikey", "pause", id).code());
        assertFalse(listed("cron").path("active").asBoolean());
        E2e.Run paused = withKey(key, "sync");
        assertEquals(3, paused.code(), paused.toString());
        assertEquals(1, paused.errLines().size(), paused.err());
        assertTrue(paused.err().contains("paused"), paused.err());

        assertEquals(0, alice("apikey", "resume", id).code());
        assertEquals(0, withKey(key, "sync").code());

        assertEquals(0, alice("apikey", "revoke", id).code());
        assertEquals(null, listed("cron"));
        E2e.Run revoked = withKey(key, "send", "@team", "too late");
        assertEquals(3, revoked.code(), revoked.toString());
        assertEquals(1, revoked.errLines().size(), revoked.err());
        assertEquals("", revoked.out());
        assertEquals(before + 1, messagesOnServer(), "nothing written");

        E2e.Run unknown = alice("apikey", "revoke", id);
        assertEquals(5, unknown.code(), unknown.toString());
        assertEquals(1, unknown.errLines().size(), unknown.err());
    }

    /**
     * Offline-first with a key: a run that once reached the server knows whose the key is (its hash in the key's
     * folder), so with the server unreachable a send queues (exit 7) as a password's does, and the next run that
     * reaches the server delivers it; a key never seen before is refused offline (exit 4), nothing written.
     */
    @Test
    void aKnownKeyQueuesASendWhileTheServerIsUnreachableAndALaterRunDeliversIt() throws Exception {
        Path key = create("offline");
        Path unseen = create("unseen");
        try (FaultProxy proxy = new FaultProxy(server.port())) {
            Path data = dir.resolve("ci-offline");
            java.util.function.BiFunction<Path, String[], E2e.Run> run = (k, args) -> {
                List<String> all = new ArrayList<>(List.of("--data-dir", data.toString(), "--server", proxy.url()));
                all.addAll(List.of(args));
                all.addAll(List.of("--api-key-file", k.toString()));
                return E2e.cli("", all.toArray(String[]::new));
            };
            assertEquals(0, run.apply(key, new String[]{"sync"}).code());
            Path identity = data.resolve("accounts/apikey-alice@127.0.0.1_" + proxy.url().replaceAll(".*:", "") + "/key-identity");
            assertTrue(Files.isRegularFile(identity), "the key's identity is kept");
            assertFalse(Files.readString(identity).contains(Files.readString(key).strip()), "the key itself is never written");

            long before = messagesOnServer();
            proxy.mode(FaultProxy.Mode.CUT_BEFORE_FORWARD);
            E2e.Run queued = run.apply(key, new String[]{"send", "@team", "written on the train"});
            assertEquals(7, queued.code(), queued.toString());
            assertEquals("", queued.out());
            assertEquals(1, queued.errLines().size(), queued.err());
            E2e.Run refused = run.apply(unseen, new String[]{"send", "@team", "never seen"});
            assertEquals(4, refused.code(), refused.toString());
            assertEquals(1, refused.errLines().size(), refused.err());
            assertEquals(before, messagesOnServer(), "nothing reached the server");

            proxy.mode(FaultProxy.Mode.PASS);
            E2e.Run back = run.apply(key, new String[]{"sync"});
            assertEquals(0, back.code(), back.toString());
            assertEquals(before + 1, messagesOnServer(), "the queued send was delivered once");
            assertEquals(0, run.apply(key, new String[]{"sync"}).code());
            assertEquals(before + 1, messagesOnServer(), "and only once");
        }
    }

    @Test
    void aReadOnlyKeySendingIsRefusedWithNothingQueuedOrWritten() throws Exception {
        Path key = create("reader", "--read-only", "--expires", "30d");
        JsonNode k = listed("reader");
        assertEquals("read", k.path("permissions").asText());
        assertFalse(k.path("expiresAt").isNull());
        long before = messagesOnServer();
        E2e.Run r = withKey(key, "send", "@team", "from a reader");
        assertEquals(5, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("may only read"), r.err());
        assertEquals(before, messagesOnServer(), "nothing written");

        E2e.Run bad = alice("apikey", "create", "x", "--expires", "soon");
        assertEquals(2, bad.code(), bad.toString());
        assertEquals(1, bad.errLines().size(), bad.err());
    }

    @Test
    void aWatchRunningWithAKeyFromTheEnvironmentEndsWithExit3WhenTheKeyIsPaused() throws Exception {
        Path keyFile = create("watcher", "--read-only");
        String id = listed("watcher").path("id").asText();
        ProcessBuilder pb = E2e.novyseProcess("--data-dir", dir.resolve("ci-env").toString(), "--server", server.url(),
                "watch", "--status");
        pb.environment().keySet().removeIf(k -> k.startsWith("XDG_") || k.equals("JAVA_TOOL_OPTIONS"));
        pb.environment().put("XDG_CONFIG_HOME", dir.resolve("config").toString());
        pb.environment().put("NOVYSE_API_KEY", Files.readString(keyFile).strip());
        Path err = dir.resolve("watch.err");
        pb.redirectError(err.toFile());
        Process p = pb.start();
        try {
            p.getOutputStream().close();
            BlockingQueue<String> lines = new LinkedBlockingQueue<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null; ) lines.add(l);
                } catch (IOException e) {
                    // the process is gone
                }
            });
            reader.setDaemon(true);
            reader.start();
            String line;
            do {
                line = lines.poll(60, TimeUnit.SECONDS);
                assertNotNull(line, "watch reports CONNECTED");
            } while (!line.contains("CONNECTED"));
            E2e.Run paused = alice("apikey", "pause", id);
            assertEquals(0, paused.code(), paused.toString());
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the watch ends when its key is paused");
            String errText = Files.readString(err);
            CliStderr.record(new String[]{"watch"}, errText);
            assertEquals(3, p.exitValue(), errText);
            assertTrue(errText.lines().anyMatch(l -> l.contains("API key")), errText);
        } finally {
            p.destroyForcibly();
        }
    }
}
