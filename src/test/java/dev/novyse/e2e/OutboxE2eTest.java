package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code novyse outbox}, {@code outbox retry} and {@code outbox drop} against a real server: a message refused for
 * good is listed FAILED with the reason in plain words, stays refused when retried, and is dropped; a message queued
 * while the server was unreachable is listed PENDING and delivered once by a retry when the server is back.
 */
class OutboxE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static Path data;

    @BeforeAll
    static void setUp() throws Exception {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
        RawApi api = new RawApi(server.url());
        data = dir.resolve("cli");
        E2e.cliSignup(data, server.url(), "outboxer");
        E2e.As bob = new E2e.As(api, api.signup("bob"));
        bob.createChat("GROUP", "Outbox", "outbox", E2e.credentials(data).path("userUUID").asText());
        assertEquals(0, cli(data, "", "sync", "--quiet").code());
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    static E2e.Run cli(Path dataDir, String stdin, String... args) {
        List<String> all = new ArrayList<>(List.of("--data-dir", dataDir.toString()));
        all.addAll(List.of(args));
        return E2e.cli(stdin, all.toArray(String[]::new));
    }

    static List<JsonNode> outbox(Path dataDir) throws Exception {
        E2e.Run r = cli(dataDir, "", "outbox", "--format", "jsonl");
        assertEquals(0, r.code(), r.toString());
        assertEquals("", r.err());
        List<JsonNode> lines = new ArrayList<>();
        for (String line : r.out().lines().toList()) lines.add(Json.mapper().readTree(line));
        return lines;
    }

    @Test
    void aRefusedMessageIsListedWithItsReasonRetriedAndDropped() throws Exception {
        // A refusal the client cannot foresee (one it can, a message too long, is refused before it is queued).
        String words = "an answer to a message that is not there, long enough to be cut short in the outbox's preview";
        E2e.Run send = cli(data, words, "send", "@outbox", "-", "--reply-to", "999");
        assertEquals(5, send.code(), send.err());
        assertEquals(1, send.errLines().size(), send.err());
        assertTrue(send.err().contains("the chat or the message it answers is gone (404)"), send.err());

        List<JsonNode> entries = outbox(data);
        assertEquals(1, entries.size(), entries.toString());
        JsonNode e = entries.get(0);
        assertEquals("FAILED", e.path("state").asText());
        assertEquals(1, e.path("attempts").asInt(), "the refusal was an attempt");
        assertEquals("the server refused it: the chat or the message it answers is gone (404)", e.path("lastError").asText());
        assertEquals(words.length(), e.path("length").asInt());
        assertTrue(e.path("preview").asText().length() < words.length(), e.toString());
        String id = e.path("id").asText();

        E2e.Run text = cli(data, "", "outbox");
        assertEquals(0, text.code(), text.toString());
        assertTrue(text.out().startsWith(id.substring(0, 8) + "  FAILED"), text.out());
        assertTrue(text.out().contains("the chat or the message it answers is gone (404)"), text.out());

        E2e.Run retry = cli(data, "", "outbox", "retry", id.substring(0, 6));
        assertEquals(5, retry.code(), retry.toString());
        assertEquals(1, retry.errLines().size(), retry.err());
        assertEquals("FAILED", outbox(data).get(0).path("state").asText());

        E2e.Run unknown = cli(data, "", "outbox", "drop", "nope");
        assertEquals(2, unknown.code(), unknown.toString());
        E2e.Run drop = cli(data, "", "outbox", "drop", "--all-failed");
        assertEquals(0, drop.code(), drop.toString());
        assertTrue(drop.err().startsWith("dropped " + id.substring(0, 8) + " (FAILED)"), drop.err());
        assertEquals(List.of(), outbox(data));
    }

    @Test
    void aQueuedMessageIsDeliveredByARetryOnceTheServerIsBack() throws Exception {
        Path offline = dir.resolve("offline");
        CliContractE2eTest.copyTree(data, offline);
        E2e.pointCredentialsAt(offline, "http://127.0.0.1:" + E2e.deadPort());
        E2e.Run send = cli(offline, "", "send", "@outbox", "written while down");
        assertEquals(7, send.code(), send.toString());
        JsonNode e = outbox(offline).get(0);
        assertEquals("PENDING", e.path("state").asText());
        assertEquals("written while down", e.path("preview").asText());
        assertEquals("Outbox", e.path("chatName").asText());

        E2e.Run stillDown = cli(offline, "", "outbox", "retry", "--all");
        assertEquals(7, stillDown.code(), stillDown.toString());
        assertEquals(2, outbox(offline).get(0).path("attempts").asInt());

        E2e.pointCredentialsAt(offline, server.url());
        E2e.Run retry = cli(offline, "", "outbox", "retry", e.path("id").asText());
        assertEquals(0, retry.code(), retry.toString());
        assertEquals(List.of(), outbox(offline));
        Path db = E2e.accountDir(offline).resolve("store.db");
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM message WHERE content = 'written while down'"));

        // One the server refuses once it is back, flushed by a sync: said in one line, and kept to retry or drop.
        E2e.pointCredentialsAt(offline, "http://127.0.0.1:" + E2e.deadPort());
        E2e.Run doomed = cli(offline, "", "send", "@outbox", "an answer to nothing", "--reply-to", "999");
        assertEquals(7, doomed.code(), doomed.toString());
        E2e.pointCredentialsAt(offline, server.url());
        E2e.Run sync = cli(offline, "", "sync");
        assertEquals(0, sync.code(), sync.toString());
        JsonNode refused = outbox(offline).get(0);
        assertEquals("FAILED", refused.path("state").asText());
        assertTrue(sync.err().contains("novyse: " + refused.path("id").asText().substring(0, 8) + " not sent: an answer"
                + " to nothing: the server refused it: the chat or the message it answers is gone (404); it stays in"
                + " the outbox (novyse outbox retry or drop)\n"), sync.err());
        assertEquals(0, cli(offline, "", "outbox", "drop", "--all-failed").code());

        // Queued offline, then a send once the server is back: the one that waited goes first (refused here), and
        // the send says so as the sync does, then sends its own.
        E2e.pointCredentialsAt(offline, "http://127.0.0.1:" + E2e.deadPort());
        assertEquals(7, cli(offline, "", "send", "@outbox", "waited, doomed", "--reply-to", "999").code());
        E2e.pointCredentialsAt(offline, server.url());
        E2e.Run after = cli(offline, "", "send", "@outbox", "typed once back");
        assertEquals(0, after.code(), after.toString());
        JsonNode waited = outbox(offline).get(0);
        assertEquals("FAILED", waited.path("state").asText(), "sent first, refused");
        assertTrue(after.err().contains("novyse: " + waited.path("id").asText().substring(0, 8) + " not sent: waited,"
                + " doomed: the server refused it: the chat or the message it answers is gone (404)"), after.err());
        assertTrue(after.err().contains("sent to Outbox"), after.err());
    }
}
