package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat screen in a real terminal: novyse runs as its own process inside tmux (installed by
 * src/test/sh/provision), driven with send-keys and read back with capture-pane, the way a person on SSH sees it.
 * A real server on loopback, a real store; the shell around novyse must be usable again afterwards, with the tty
 * settings it had before.
 */
class TerminalE2eTest {
    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    String team;
    String hikes;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
        alice = api.signup("alice");
        bob = api.signup("bob");
        E2e.As asBob = new E2e.As(api, bob);
        hikes = asBob.createChat("GROUP", "Hikes", null, alice.uuid());
        asBob.send(hikes, 0, "the trail to the ridge is 14 km");
        team = asBob.createChat("GROUP", "Team", null, alice.uuid());
        E2e.nextMillisecond();
        asBob.send(team, 0, "good morning from bob"); // the latest chat: it opens first
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("data").toString(), "--server", server.url(),
                "login", "alice");
        assertEquals(0, login.code(), login.toString());
    }

    @AfterEach
    void stop() throws Exception {
        if (tmux != null) tmux.close();
        server.close();
    }

    private JsonNode history(RawApi.Account as, String chat) {
        return api.ok(api.send("GET", "/message/history?chatUUID=" + chat + "&subID=0&limit=100", as.token(), (String) null))
                .path("messages");
    }

    private String tuiLog() {
        Path accounts = dir.resolve("data").resolve("accounts");
        if (!Files.isDirectory(accounts)) return "tui.log: (none)";
        try (var s = Files.walk(accounts)) {
            List<Path> logs = s.filter(p -> p.getFileName().toString().equals("tui.log")).toList();
            StringBuilder b = new StringBuilder("tui.log: ");
            for (Path l : logs) b.append(Files.readString(l));
            return b.toString();
        } catch (IOException e) {
            return "tui.log: " + e;
        }
    }

    // ---- the tests -----------------------------------------------------------------------------------------

    @Test
    void aPersonOpensSendsEditsReactsSearchesReceivesResizesAndQuitsToAnIntactShell() throws Exception {
        Path novyse = Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString());
        tmux = new Tmux(dir, 100, 30, this::tuiLog);
        String sttyBefore = tmux.inShell("stty -g");

        tmux.type(novyse + "; echo exit=$?");
        tmux.keys("Enter");
        String s = tmux.awaitScreen("the chat list and the newest chat", x -> x.contains("● live") && x.contains("Hikes")
                && x.contains("Team") && x.contains("good morning from bob"));
        assertTrue(s.lines().reduce((a, b) -> b).orElse("").contains("alice@"), "the status bar is the last row:\n" + s);

        tmux.type("hello from tmux 你好 🎉");
        tmux.keys("Enter");
        // Shown at once as "you … sending…", then as ALICE's message once the server took it.
        tmux.awaitScreen("the send delivered", x -> x.contains("ALICE │ hello from tmux 你好 🎉") && !x.contains("sending…"));
        assertEquals("hello from tmux 你好 🎉", history(bob, team).get(1).path("content").asText());

        tmux.keys("Up", "e", "C-u");
        tmux.type("hello edited");
        tmux.keys("Enter");
        tmux.awaitText("hello edited (edited)");
        assertEquals("hello edited", history(bob, team).get(1).path("content").asText());

        tmux.keys("Up", "+", "1");
        tmux.awaitText("👍 1");
        assertEquals("👍", history(bob, team).get(1).path("reactions").get(0).path("reaction").asText(),
                history(bob, team).toString());

        tmux.keys("C-f");
        tmux.awaitText("Search all chats");
        tmux.type("ridge");
        tmux.awaitScreen("the search hit", x -> x.contains("Hikes") && x.contains("the trail to the ridge"));
        tmux.keys("Enter");
        tmux.awaitScreen("the Hikes chat opened on the hit", x -> !x.contains("Search all chats")
                && x.lines().findFirst().orElse("").contains("Hikes"));

        new E2e.As(api, bob).send(hikes, 0, "live from bob ⛰️ and ☕");
        s = tmux.awaitText("live from bob");
        for (String line : s.lines().toList()) {
            if (line.contains("live from bob")) {
                assertTrue(line.contains("│ live from bob"), "the message sits in the message column: " + line);
            }
        }

        tmux.resize(72, 20);
        s = tmux.awaitScreen("the 72x20 layout", x -> x.lines().count() == 20 && x.lines().reduce((a, b) -> b).orElse("").contains("live"));
        assertTrue(s.contains("live from bob"), "the open chat after the resize:\n" + s);
        for (String line : s.lines().toList()) {
            assertTrue(line.length() <= 72, "a line wider than the window: " + line);
        }

        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("● live"), "the chat screen is gone (alternate screen left):\n" + s);
        assertTrue(s.contains("ready$"), "the prompt is back:\n" + s);
        assertEquals(sttyBefore, tmux.inShell("stty -g"), "the tty settings are the ones before novyse");
        assertEquals("typed back", tmux.inShell("echo typed back"), "the shell echoes and runs what is typed");
    }

    @Test
    void theDemoStartsInTheTerminalWithAPeerTalkingAndCtrlCLeavesAnIntactShell() throws Exception {
        Path novyse = Tmux.launcher(dir);
        tmux = new Tmux(dir, 110, 32, this::tuiLog);
        String sttyBefore = tmux.inShell("stty -g");
        tmux.type(novyse + " demo --seed 3; echo exit=$?");
        tmux.keys("Enter");
        // Keys typed while the demo starts, an unfinished line included, are not replayed into the screen: this
        // would otherwise land in the composer, and its Enter send it to the open chat.
        tmux.awaitText("novyse demo: ");
        tmux.type("typed ahead");
        tmux.keys("Enter");
        tmux.type("half a line");
        String s = tmux.awaitText("● live");
        assertTrue(s.contains("Platform team") && s.contains("日本語 practice"), "the seeded chats:\n" + s);
        assertFalse(s.contains("typed ahead") || s.contains("half a line"), "keys typed ahead are dropped:\n" + s);
        // The simulated peer keeps talking: some screen line changes without a key press.
        String before = tmux.screen();
        tmux.awaitScreen("the peer typing or writing", x -> !x.equals(before));

        tmux.keys("C-c");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("● live"), "the chat screen is gone:\n" + s);
        assertEquals(sttyBefore, tmux.inShell("stty -g"), "the tty settings are the ones before the demo");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("novyse-demo-")).toList(),
                    "the demo removed its workspace");
        }
    }

    @Test
    void ctrlCBeforeTheDemoScreenOpensExits130WithOneLineAndRemovesTheWorkspace() throws Exception {
        Path novyse = Tmux.launcher(dir);
        tmux = new Tmux(dir, 110, 32, this::tuiLog);
        String sttyBefore = tmux.inShell("stty -g");
        tmux.type(novyse + " demo; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitText("novyse demo: "); // the progress line: the demo is starting
        tmux.keys("C-c");
        String s = tmux.awaitText("exit=130");
        List<String> said = s.lines().filter(l -> l.contains("novyse demo:")).toList();
        assertEquals(1, said.size(), "one line:\n" + s);
        assertTrue(said.get(0).contains("novyse demo: interrupted"), s);
        assertFalse(s.contains("Exception") || s.contains("● live"), s);
        assertEquals(sttyBefore, tmux.inShell("stty -g"), "the tty settings are the ones before the demo");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("novyse-demo-")).toList(),
                    "the demo removed its workspace");
        }
    }

    @Test
    void aBadKeyBindingInTheConfigIsOneLineAndExitTwoBeforeTheScreenOpens() throws Exception {
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "theme = mono\nkeys.teleport = C-t\n");
        Path novyse = Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString());
        tmux = new Tmux(dir, 100, 20, this::tuiLog);
        tmux.type(novyse + "; echo exit=$?");
        tmux.keys("Enter");
        String s = tmux.awaitText("exit=2");
        assertTrue(s.contains("novyse: " + config + ": unknown key binding 'keys.teleport'"), s);
        assertFalse(s.contains("Exception"), s);
    }

    @Test
    void aBadConfigValueIsOneLineAndExitTwoAndAnUnknownKeyAWarningBeforeTheScreen() throws Exception {
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "mouse = yes please\n");
        Path novyse = Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString());
        tmux = new Tmux(dir, 100, 20, this::tuiLog);
        tmux.type(novyse + "; echo exit=$?");
        tmux.keys("Enter");
        String s = tmux.awaitText("exit=2");
        assertTrue(s.contains("novyse: " + config + ": mouse must be on or off, not 'yes please'"), s);

        // A typo is not a setting that silently does nothing: one warning line, and novyse goes on.
        Files.writeString(config, "thme = mono\n");
        tmux.type("clear; " + novyse + " accounts; echo status=$?");
        tmux.keys("Enter");
        s = tmux.awaitScreen("the accounts command ended", x -> x.contains("\nstatus="));
        assertTrue(s.contains("novyse: " + config + ": unknown setting 'thme', ignored (did you mean 'theme'?)"), s);
    }
}
