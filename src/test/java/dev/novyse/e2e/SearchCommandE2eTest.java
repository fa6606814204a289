package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.e2e.ChatCommandsE2eTest.Cli;
import dev.novyse.protocol.Json;
import dev.novyse.server.MutableClock;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.novyse.e2e.ChatCommandsE2eTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code novyse search}, the chat screen's search for scripts: words against the store's full-text index, offline,
 * newest first, in one chat with {@code --chat}; JSON Lines with the chat, sub and id that {@code message} takes.
 */
class SearchCommandE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;
    static Cli kai;
    static Cli lea;

    @BeforeAll
    static void setUp() {
        MutableClock clock = new MutableClock();
        server = TestServer.start(dir.resolve("server"), clock, Duration.ofMinutes(15));
        kai = Cli.signup(dir, server.url(), "kai", "Kai Berg");
        lea = Cli.signup(dir, server.url(), "lea", "Lea Moss");
        kai.ok("chat", "create", "Ops", "--handle", "ops", "@lea");
        kai.ok("send", "@ops", "the deploy of 2.4 is done");
        clock.advance(Duration.ofMinutes(1)); // each later: the order "newest first" is the server's times
        lea.ok("send", "@ops", "rolling back the deploy\nthe cache is cold");
        clock.advance(Duration.ofMinutes(1));
        kai.ok("send", "@lea", "deploy notes are in the wiki");
        clock.advance(Duration.ofMinutes(1));
        kai.ok("send", "@ops", "lunch?");
        lea.ok("sync", "--quiet");
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    @Test
    void everyWordIsRequiredAsAWordsStartNewestFirst() throws Exception {
        List<JsonNode> hits = lines(lea.ok("search", "deplo", "--format", "jsonl").out());
        assertEquals(List.of("deploy notes are in the wiki", "rolling back the deploy\nthe cache is cold",
                "the deploy of 2.4 is done"), hits.stream().map(h -> h.path("content").asText()).toList());
        JsonNode dm = hits.get(0);
        assertEquals("Kai Berg", dm.path("chatTitle").asText(), "a DM by the other person, as the chat list names it");
        assertEquals("Kai Berg", dm.path("senderName").asText());
        assertEquals(List.of("chat", "chatTitle", "sub", "id", "sender", "senderName", "createdAt", "content", "edited"),
                fieldNames(dm));

        assertEquals(1, lines(lea.ok("search", "deploy", "cache", "--format", "jsonl").out()).size(), "both words");
        assertEquals("", lea.ok("search", "deploy", "nowhere").out(), "no hit: nothing printed, exit 0");
        assertEquals("", lea.ok("search", "deploy OR lunch").out(), "what is typed is never FTS5 syntax (OR is a word)");
        assertEquals(3, lines(lea.ok("search", "deploy", "👍", "--format", "jsonl").out()).size(),
                "an emoji is no word of the index: left out, not matched as nothing");
    }

    @Test
    void oneChatAndALimitAndTheTranscriptLine() throws Exception {
        List<JsonNode> inOps = lines(lea.ok("search", "deploy", "--chat", "@ops", "--format", "jsonl").out());
        assertEquals(2, inOps.size());
        assertTrue(inOps.stream().allMatch(h -> h.path("chatTitle").asText().equals("Ops")), inOps.toString());
        assertEquals(1, lines(lea.ok("search", "deploy", "--limit", "1", "--format", "jsonl").out()).size());

        String text = lea.ok("search", "rolling", "--chat", "Ops").out();
        assertTrue(text.matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d \\[Ops #\\d+] Lea Moss: rolling back the deploy\n"
                + "    the cache is cold\n"), text);
        // A hit's chat and id are what `message` takes.
        JsonNode hit = inOps.get(0);
        lea.ok("message", "react", hit.path("chat").asText(), hit.path("id").asText(), "👍");
    }

    @Test
    void badUsageIsOneLineAndExitTwo() {
        assertRefused(lea.run("search"), 2, "no word");
        assertRefused(lea.run("search", "  "), 2, "only blanks");
        assertRefused(lea.run("search", "🚀", "!"), 2, "no word of letters or digits");
        assertRefused(lea.run("search", "deploy", "--limit", "0"), 2, "a limit of none");
        assertRefused(lea.run("search", "deploy", "--chat", "@nowhere"), 2, "a chat nobody has");
    }

    private static List<JsonNode> lines(String out) throws Exception {
        List<JsonNode> nodes = new java.util.ArrayList<>();
        for (String l : out.lines().toList()) nodes.add(Json.mapper().readTree(l));
        return nodes;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
