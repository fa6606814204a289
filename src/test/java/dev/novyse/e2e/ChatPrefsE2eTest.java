package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.time.Instant;

import static dev.novyse.e2e.ChatCommandsE2eTest.Cli;
import static dev.novyse.e2e.ChatCommandsE2eTest.assertRefused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code chat mute|unmute|folder} against a real server: the account's own view of a chat, kept as synced settings,
 * so a second device of the same account sees it after a sync; {@code chats} and {@code chat info} print it; an
 * expired mute reads as not muted; bad times are usage errors and an unreachable server refuses with exit 4, each
 * with nothing changed.
 */
class ChatPrefsE2eTest {
    @TempDir
    static Path dir;
    static NovyseServer server;

    @BeforeAll
    static void setUp() {
        server = TestServer.start(dir.resolve("server"), new MutableClock(), Duration.ofMinutes(15));
    }

    @AfterAll
    static void tearDown() {
        server.close();
    }

    /** The chats line of {@code @ops} as {@code cli} prints it (after a sync when asked). */
    static JsonNode ops(Cli cli, boolean sync) throws Exception {
        return chat(cli, sync, "ops");
    }

    static JsonNode chat(Cli cli, boolean sync, String handle) throws Exception {
        String out = sync ? cli.ok("chats", "--format", "jsonl", "--sync").out() : cli.ok("chats", "--format", "jsonl").out();
        for (String line : out.lines().toList()) {
            JsonNode n = Json.mapper().readTree(line);
            if (handle.equals(n.path("handle").asText(null))) return n;
        }
        throw new AssertionError("no @" + handle + " in " + out);
    }

    @Test
    void muteAndFolderFollowTheAccountToItsOtherDevice() throws Exception {
        Cli kim = Cli.signup(dir, server.url(), "kim", "Kim");
        kim.ok("chat", "create", "Ops", "--handle", "ops");
        Path second = dir.resolve("kim-laptop");
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", second.toString(), "--server", server.url(), "login", "kim");
        assertEquals(0, login.code(), login.toString());
        Cli laptop = new Cli(dir, second, "kim");
        JsonNode fresh = ops(laptop, true);
        assertFalse(fresh.path("muted").asBoolean(), fresh.toString());
        assertTrue(fresh.path("mutedUntil").isNull() && fresh.path("folder").isNull(), fresh.toString());

        // For good: on this device at once (the follow-up sync), on the other after its sync.
        E2e.Run mute = kim.ok("chat", "mute", "@ops");
        assertEquals("muted Ops", mute.err().strip());
        assertEquals("", mute.out());
        JsonNode here = ops(kim, false);
        assertTrue(here.path("muted").asBoolean(), here.toString());
        assertEquals("forever", here.path("mutedUntil").asText());
        assertTrue(ops(laptop, true).path("muted").asBoolean(), "the second device sees the mute");
        assertTrue(kim.ok("chats").out().lines().anyMatch(l -> l.contains("Ops") && l.endsWith("[muted]")), kim.ok("chats").out());

        // For a while: the end is now + 2 h, to the second.
        Instant before = Instant.now();
        kim.ok("chat", "mute", "@ops", "--for", "2h");
        Instant until = Instant.parse(ops(kim, false).path("mutedUntil").asText());
        assertTrue(!until.isBefore(before.plus(Duration.ofHours(2)).minusSeconds(1))
                && !until.isAfter(Instant.now().plus(Duration.ofHours(2))), until.toString());

        // A mute whose time has passed (written by any client) reads as not muted.
        kim.ok("settings", "set", "chat.mute." + here.path("uuid").asText(), "\"2020-01-01T00:00:00Z\"");
        JsonNode expired = ops(kim, false);
        assertFalse(expired.path("muted").asBoolean(), expired.toString());
        assertTrue(expired.path("mutedUntil").isNull(), expired.toString());

        kim.ok("chat", "mute", "@ops");
        kim.ok("chat", "unmute", "@ops");
        assertFalse(ops(kim, false).path("muted").asBoolean());
        assertFalse(ops(laptop, true).path("muted").asBoolean(), "the second device sees the unmute");

        // Folders.
        assertEquals("Ops is in folder Work", kim.ok("chat", "folder", "@ops", "Work").err().strip());
        assertEquals("Work", ops(kim, false).path("folder").asText());
        assertEquals("Work", ops(laptop, true).path("folder").asText());
        JsonNode info = kim.json("chat", "info", "@ops", "--format", "jsonl");
        assertEquals("Work", info.path("folder").asText());
        assertFalse(info.path("muted").asBoolean());
        assertTrue(kim.ok("chat", "info", "@ops").out().lines().findFirst().orElse("").endsWith("; in folder Work"));
        kim.ok("chat", "folder", "@ops", "--none");
        assertTrue(ops(kim, false).path("folder").isNull());
    }

    @Test
    void badTimesAreUsageErrorsAndOfflineIsRefusedWithNothingChanged() throws Exception {
        Cli lea = Cli.signup(dir, server.url(), "lea", "Lea");
        lea.ok("chat", "create", "Ops", "--handle", "lops");
        String settings = lea.ok("settings", "get", "--format", "jsonl").out();
        assertRefused(lea.run("chat", "mute", "@lops", "--for", "5x"), 2, "--for 5x");
        assertRefused(lea.run("chat", "mute", "@lops", "--until", "tomorrow"), 2, "--until tomorrow");
        assertRefused(lea.run("chat", "mute", "@lops", "--until", "2020-01-01T00:00:00Z"), 2, "--until in the past");
        assertRefused(lea.run("chat", "mute", "@lops", "--for", "1h", "--until", "2999-01-01T00:00:00Z"), 2, "both");
        assertRefused(lea.run("chat", "folder", "@lops"), 2, "folder without a name");
        assertRefused(lea.run("chat", "folder", "@lops", "Work", "--none"), 2, "folder with both");
        assertRefused(lea.run("chat", "mute", "@nowhere"), 2, "an unknown chat");
        lea.ok("sync", "--quiet");
        assertEquals(settings, lea.ok("settings", "get", "--format", "jsonl").out(), "nothing was written");

        Cli down = lea.offline("lea-offline");
        for (String[] a : new String[][]{{"chat", "mute", "@lops"}, {"chat", "unmute", "@lops"}, {"chat", "folder", "@lops", "Work"}}) {
            E2e.Run r = down.run(a);
            assertRefused(r, 4, String.join(" ", a));
            assertTrue(r.err().contains("was not done"), r.err());
        }
        assertFalse(chat(down, false, "lops").path("muted").asBoolean());
    }
}
