package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.OutgoingFile;
import dev.novyse.store.PendingMessage;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files both ways with real parts: the real server on loopback, real SQLite stores, the CLI in-process and as a
 * process, and a fault-injecting proxy that cuts an upload midway. Done means: a file round-trips byte for byte
 * between two accounts, and a cut upload resumes from the outbox and is delivered exactly once.
 */
class FilesE2eTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    Path aliceData;
    Path bobData;
    RawApi.Account alice;
    RawApi.Account bob;
    String room;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        aliceData = dir.resolve("alice");
        bobData = dir.resolve("bob");
        E2e.cliSignup(aliceData, server.url(), "alice");
        E2e.cliSignup(bobData, server.url(), "bob");
        alice = account("alice", aliceData);
        bob = account("bob", bobData);
        room = new E2e.As(api, alice).createChat("GROUP", "Room", "room", bob.uuid());
        assertEquals(0, cli(aliceData, "sync", "--quiet").code());
        assertEquals(0, cli(bobData, "sync", "--quiet").code());
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    static RawApi.Account account(String name, Path data) throws IOException {
        JsonNode c = E2e.credentials(data);
        return new RawApi.Account(name, c.path("token").asText(), c.path("userUUID").asText(), null);
    }

    static E2e.Run cli(Path data, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", data.toString()));
        all.addAll(List.of(args));
        return E2e.cli("", all.toArray(String[]::new));
    }

    /** Bytes that are not text: every byte value, invalid UTF-8 sequences, NULs. */
    static byte[] binary(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        for (int i = 0; i < 256; i++) b[i] = (byte) i;
        b[256] = (byte) 0xc3; // a truncated UTF-8 sequence
        b[257] = 0x28;
        return b;
    }

    /** Messages of the room as a fresh initialize of {@code who} shows them. */
    List<JsonNode> serverMessages(RawApi.Account who) {
        List<JsonNode> out = new ArrayList<>();
        Projection.initializeJson(server.url(), who.token()).path("messages").forEach(out::add);
        return out;
    }

    List<Path> serverFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("server").resolve("files"))) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aBinaryFileRoundTripsByteForByteBetweenTwoAccountsThroughTheCli() throws Exception {
        byte[] bytes = binary(3 * 1024 * 1024 + 123, 7);
        Path original = dir.resolve("payload.bin");
        Files.write(original, bytes);
        Path notes = dir.resolve("notes.txt");
        Files.writeString(notes, "plain text too\n");

        E2e.Run send = cli(aliceData, "send", "@room", "two files", "--file", original.toString(), "--file", notes.toString());
        assertEquals(0, send.code(), send.toString());
        assertEquals("", send.out(), "send prints nothing on stdout");
        assertEquals(1, send.errLines().size(), "one line on stderr (no progress: stderr is not a terminal): " + send.err());
        Path aliceStore = E2e.accountDir(aliceData).resolve("store.db");
        assertEquals(0, Projection.scalar(aliceStore, "SELECT COUNT(*) FROM pending_message"));
        assertEquals(0, Projection.scalar(aliceStore, "SELECT COUNT(*) FROM pending_file"));

        List<JsonNode> seen = serverMessages(bob);
        assertEquals(1, seen.size());
        JsonNode files = seen.get(0).path("files");
        assertEquals(2, files.size());
        assertEquals("payload.bin", files.get(0).path("name").asText());
        assertEquals(bytes.length, files.get(0).path("size").asLong());
        assertEquals("application/octet-stream", files.get(0).path("mimeType").asText());
        assertEquals("notes.txt", files.get(1).path("name").asText());
        assertEquals("text/plain", files.get(1).path("mimeType").asText(), "mime type guessed from the name");

        assertEquals(0, cli(bobData, "sync", "--quiet").code());
        E2e.Run list = cli(bobData, "file", "list", "@room", "--format", "jsonl", "--cache-dir", dir.resolve("cache").toString());
        assertEquals(0, list.code(), list.toString());
        List<String> lines = list.out().lines().toList();
        assertEquals(2, lines.size(), list.out());
        JsonNode first = Json.mapper().readTree(lines.get(0));
        assertEquals(1, first.path("id").asLong());
        assertEquals("payload.bin", first.path("name").asText());
        assertEquals(bytes.length, first.path("size").asLong());
        assertEquals(false, first.path("cached").asBoolean(true));

        Path cache = dir.resolve("cache");
        Path out = dir.resolve("received.bin");
        E2e.Run pickOne = cli(bobData, "file", "get", "@room/1", "--cache-dir", cache.toString(), "-o", out.toString());
        assertEquals(2, pickOne.code(), "two files and no --index: " + pickOne);
        assertEquals(1, pickOne.errLines().size());
        assertTrue(pickOne.err().contains("--index"), pickOne.err());

        E2e.Run get = cli(bobData, "file", "get", "@room/1", "--index", "1", "--cache-dir", cache.toString(), "-o", out.toString());
        assertEquals(0, get.code(), get.toString());
        assertArrayEquals(bytes, Files.readAllBytes(out), "the received file differs from the sent one");
        String uuid = first.path("uuid").asText();
        assertArrayEquals(bytes, Files.readAllBytes(cache.resolve(uuid)), "the cached copy");
        // A path ending in '/' is a folder, made, with the file under its own name (it was a file named so).
        Path folder = dir.resolve("into-here");
        E2e.Run intoFolder = cli(bobData, "file", "get", "@room/1", "--index", "1", "--cache-dir", cache.toString(),
                "-o", folder + "/");
        assertEquals(0, intoFolder.code(), intoFolder.toString());
        assertArrayEquals(bytes, Files.readAllBytes(folder.resolve(first.path("name").asText())));
        assertTrue(Json.mapper().readTree(cli(bobData, "file", "list", "@room", "--format", "jsonl", "--cache-dir",
                cache.toString()).out().lines().findFirst().orElseThrow()).path("cached").asBoolean());

        // Streamed to stdout of a real process: the bytes survive a pipe untouched.
        E2e.Proc piped = E2e.process(60, "--data-dir", bobData.toString(), "file", "get", uuid, "--cache-dir",
                cache.toString(), "-o", "-");
        assertEquals(0, piped.code(), piped.err());
        assertArrayEquals(bytes, piped.out());

        // The cache answers without the network while its size matches; a damaged copy is fetched again.
        E2e.pointCredentialsAt(bobData, "http://127.0.0.1:" + E2e.deadPort());
        E2e.Run offline = cli(bobData, "file", "get", uuid, "--cache-dir", cache.toString());
        assertEquals(0, offline.code(), offline.toString());
        assertEquals(cache.resolve(uuid).toString(), offline.out().strip(), "without -o the cached path is printed");
        Files.write(cache.resolve(uuid), new byte[]{1, 2, 3});
        E2e.Run unreachable = cli(bobData, "file", "get", uuid, "--cache-dir", cache.toString());
        assertEquals(4, unreachable.code(), "a damaged cache needs the network: " + unreachable);
        assertEquals(1, unreachable.errLines().size());
        assertEquals("", unreachable.out());
        E2e.pointCredentialsAt(bobData, server.url());
        E2e.Run again = cli(bobData, "file", "get", uuid, "--cache-dir", cache.toString());
        assertEquals(0, again.code(), again.toString());
        assertArrayEquals(bytes, Files.readAllBytes(cache.resolve(uuid)));
        try (Stream<Path> s = Files.list(cache)) {
            assertEquals(1, s.count(), "only the fetched file, no partial downloads, in the cache");
        }
    }

    @Test
    void aCutUploadLeavesTheMessageUnconfirmedAndTheNextFlushDeliversItOnce() throws Exception {
        byte[] bytes = binary(2 * 1024 * 1024, 11);
        Path original = dir.resolve("cut.bin");
        Files.write(original, bytes);
        try (FaultProxy proxy = new FaultProxy(server.port());
             E2e.Client client = new E2e.Client(server.url(), alice.token(), dir.resolve("alice-engine.db"), 50)) {
            client.sync();
            proxy.mode(FaultProxy.Mode.CUT_BODY_MIDWAY, "PUT ");
            OutboxSender broken = new OutboxSender(new ApiClient(URI.create(proxy.url()), TokenProvider.fixed(alice.token()),
                    Duration.ofSeconds(20)), client.db);
            List<long[]> progress = new ArrayList<>();
            String tempId = broken.enqueue(room, 0, "cut midway", null, List.of(OutgoingFile.of(original)));
            OutboxSender.Result first = broken.deliver(tempId);
            assertEquals(OutboxSender.State.QUEUED, first.state(), first.toString());
            assertEquals(1, proxy.cut.get(), "the proxy cut one upload");

            List<PendingMessage> pending = client.db.pending();
            assertEquals(1, pending.size(), "the entry stays in the outbox");
            assertEquals(1, pending.get(0).attempts());
            assertEquals(0, pending.get(0).files().get(0).uploaded(), "a cut file is not marked uploaded");
            assertEquals(List.of(), serverMessages(bob), "bob must not see an unconfirmed message");
            assertEquals(List.of(), serverMessages(alice), "nor alice");
            assertEquals(List.of(), serverFiles(), "no partial file on the server");

            OutboxSender healthy = new OutboxSender(client.api, client.db, new OutboxSender.Progress() {
                @Override
                public void update(String name, long sent, long total) {
                    progress.add(new long[]{sent, total});
                }

                @Override
                public void done(String name) {
                }
            });
            assertEquals(1, healthy.flush());
            assertEquals(0, healthy.flush(), "nothing left to deliver");
            assertEquals(List.of(), client.db.outbox());
            assertTrue(!progress.isEmpty() && progress.get(progress.size() - 1)[0] == bytes.length,
                    "progress reaches the file's size");

            List<JsonNode> seen = serverMessages(bob);
            assertEquals(1, seen.size(), "exactly one message");
            assertEquals("cut midway", seen.get(0).path("content").asText());
            assertEquals(1, serverFiles().size(), "exactly one stored file");
            assertEquals(1, Projection.scalar(client.file, "SELECT COUNT(*) FROM message WHERE content = 'cut midway'"));
            assertEquals(1, Projection.scalar(client.file, "SELECT COUNT(*) FROM message_files"));

            assertEquals(0, cli(bobData, "sync", "--quiet").code());
            Path out = dir.resolve("got.bin");
            E2e.Run get = cli(bobData, "file", "get", "@room/1", "--cache-dir", dir.resolve("c").toString(), "-o", out.toString());
            assertEquals(0, get.code(), get.toString());
            assertArrayEquals(bytes, Files.readAllBytes(out));
        }
    }

    @Test
    void aConfirmWhoseReplyIsLostIsSettledByTheRetryWithoutASecondMessage() throws Exception {
        Path f = dir.resolve("small.txt");
        Files.writeString(f, "small");
        try (FaultProxy proxy = new FaultProxy(server.port());
             E2e.Client client = new E2e.Client(server.url(), alice.token(), dir.resolve("alice-engine.db"), 50)) {
            client.sync();
            proxy.mode(FaultProxy.Mode.CUT_AFTER_FORWARD, "POST /message/confirm");
            OutboxSender broken = new OutboxSender(new ApiClient(URI.create(proxy.url()), TokenProvider.fixed(alice.token()),
                    Duration.ofSeconds(20)), client.db);
            String tempId = broken.enqueue(room, 0, null, null, List.of(OutgoingFile.of(f)));
            assertEquals(OutboxSender.State.QUEUED, broken.deliver(tempId).state());
            assertEquals(1, serverMessages(bob).size(), "the confirm reached the server");
            OutboxSender.Result retry = new OutboxSender(client.api, client.db).deliver(tempId);
            assertEquals(OutboxSender.State.DELIVERED, retry.state(), retry.toString());
            assertEquals(1L, retry.messageId());
            assertEquals(1, serverMessages(bob).size(), "still one message");
            assertEquals(List.of(), client.db.outbox());
        }
    }

    @Test
    void sendingAMissingFileIsAUsageErrorAndQueuesNothing() throws Exception {
        Path store = E2e.accountDir(aliceData).resolve("store.db");
        E2e.Run r = cli(aliceData, "send", "@room", "look", "--file", dir.resolve("nope.bin").toString());
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains("nope.bin") && r.err().contains("no such file"), r.err());
        assertEquals("", r.out());
        assertEquals(0, Projection.scalar(store, "SELECT COUNT(*) FROM pending_message"));
        E2e.Run directory = cli(aliceData, "send", "@room", "--file", dir.toString());
        assertEquals(2, directory.code(), directory.toString());
        assertEquals(0, Projection.scalar(store, "SELECT COUNT(*) FROM pending_message"));
        // A name the server refuses (a line break and an escape in it) is refused here, in one line, nothing queued.
        Path evil = Files.writeString(dir.resolve("evil\nname\u001b[31mRED.txt"), "x");
        E2e.Run badName = cli(aliceData, "send", "@room", "--file", evil.toString());
        assertEquals(2, badName.code(), badName.toString());
        assertEquals(1, badName.errLines().size(), badName.err());
        assertTrue(badName.err().contains("control character") && !badName.err().contains("\u001b"), badName.err());
        assertEquals(0, Projection.scalar(store, "SELECT COUNT(*) FROM pending_message"));
        assertEquals(2, cli(aliceData, "send", "@room", "x", "--wait", "-1").code());
        assertEquals(2, cli(bobData, "file", "get", "not-a-ref").code());
        assertEquals(2, cli(bobData, "file", "get", "@room/99").code());
        assertEquals(List.of(), serverMessages(bob));
    }

    @Test
    void waitGivesUpWithSevenAfterItsTimeWhenTheServerStaysAway() throws Exception {
        E2e.pointCredentialsAt(aliceData, "http://127.0.0.1:" + E2e.deadPort());
        long start = System.nanoTime();
        E2e.Run r = cli(aliceData, "send", "@room", "patient", "--wait", "2");
        long took = (System.nanoTime() - start) / 1_000_000;
        assertEquals(7, r.code(), r.toString());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(took >= 2000, "gave up after " + took + " ms, before --wait ran out");
        assertTrue(took < 15_000, "kept trying for " + took + " ms");
        Path store = E2e.accountDir(aliceData).resolve("store.db");
        assertTrue(Projection.scalar(store, "SELECT attempts FROM pending_message") >= 2, "it retried");
    }

    @Test
    void waitDeliversOnceTheServerComesBack() throws Exception {
        try (FaultProxy proxy = new FaultProxy(server.port())) {
            E2e.pointCredentialsAt(aliceData, proxy.url());
            proxy.mode(FaultProxy.Mode.CUT_BEFORE_FORWARD);
            // Healed once a request has come (and been cut), not after a fixed pause: a slow start would find it healed.
            Thread healer = new Thread(() -> {
                try {
                    long deadline = System.nanoTime() + 30_000_000_000L;
                    while (proxy.requests.get() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
                } catch (InterruptedException e) {
                    return;
                }
                proxy.mode(FaultProxy.Mode.PASS);
            });
            healer.start();
            E2e.Run r = cli(aliceData, "send", "@room", "worth the wait", "--wait", "30");
            healer.join();
            assertEquals(0, r.code(), r.toString());
            assertTrue(proxy.requests.get() >= 2, "it retried through the outage");
            List<JsonNode> seen = serverMessages(bob);
            assertEquals(1, seen.size());
            assertEquals("worth the wait", seen.get(0).path("content").asText());
            // Without --wait the same outage queues at once.
            proxy.mode(FaultProxy.Mode.CUT_BEFORE_FORWARD);
            E2e.Run now = cli(aliceData, "send", "@room", "no patience");
            assertEquals(7, now.code(), now.toString());
        }
    }
}
