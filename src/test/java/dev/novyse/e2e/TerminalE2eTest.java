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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

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
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    RawApi.Account bob;
    String team;
    String hikes;
    final String socket = "novyse-test-" + UUID.randomUUID().toString().substring(0, 8);

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
        asBob.send(team, 0, "good morning from bob"); // the latest chat: it opens first
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("data").toString(), "--server", server.url(),
                "login", "alice");
        assertEquals(0, login.code(), login.toString());
    }

    @AfterEach
    void stop() throws Exception {
        run("tmux", "-L", socket, "kill-server");
        server.close();
    }

    private JsonNode history(RawApi.Account as, String chat) {
        return api.ok(api.send("GET", "/message/history?chatUUID=" + chat + "&subID=0&limit=100", as.token(), (String) null))
                .path("messages");
    }

    // ---- tmux ------------------------------------------------------------------------------------------------

    /** A script that starts novyse from the test class path; {@code args} go before the user's arguments. */
    private Path launcher(String... args) throws IOException {
        StringBuilder sb = new StringBuilder("#!/bin/sh\nexec '" + E2e.javaBinary() + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC"
                + " -Djava.io.tmpdir='" + Files.createDirectories(dir.resolve("tmp")) + "' -cp '" + E2e.classPath()
                + "' dev.novyse.cli.Main");
        for (String a : args) sb.append(" '").append(a).append("'");
        sb.append(" \"$@\"\n");
        Path p = dir.resolve("novyse");
        Files.writeString(p, sb.toString());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwx------"));
        return p;
    }

    /** A tmux server of its own, one window running a plain bash with a known prompt, in {@code cols x rows}. */
    private void shell(int cols, int rows) throws Exception {
        List<String> env = List.of("env", "-i", "HOME=" + dir, "PATH=" + System.getenv("PATH"), "TERM=screen-256color",
                "LANG=C.UTF-8", "XDG_DATA_HOME=" + dir.resolve("xdg-data"), "XDG_CONFIG_HOME=" + dir.resolve("xdg-config"),
                "XDG_CACHE_HOME=" + dir.resolve("xdg-cache"), "PS1=ready$ ", "bash", "--norc", "--noprofile");
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", "/dev/null", "new-session", "-d",
                "-s", "t", "-x", String.valueOf(cols), "-y", String.valueOf(rows), "-c", dir.toString()));
        cmd.add(String.join(" ", env.stream().map(TerminalE2eTest::quote).toList()));
        assertEquals(0, run(cmd.toArray(String[]::new)), "tmux starts");
        awaitScreen("the shell prompt", s -> s.contains("ready$"));
    }

    private static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    /** Keys by tmux name (Enter, Up, C-f, …). */
    private void keys(String... names) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "send-keys", "-t", "t"));
        cmd.addAll(List.of(names));
        assertEquals(0, run(cmd.toArray(String[]::new)));
    }

    /** Literal text, typed. */
    private void type(String text) throws Exception {
        assertEquals(0, run("tmux", "-L", socket, "send-keys", "-t", "t", "-l", text));
    }

    private String screen() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "capture-pane", "-p", "-J", "-t", "t").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(10, TimeUnit.SECONDS);
        return out;
    }

    private String awaitScreen(String what, Predicate<String> test) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        String s = "";
        while (System.nanoTime() < deadline) {
            s = screen();
            if (test.test(s)) return s;
            Thread.sleep(100);
        }
        throw new AssertionError("the terminal never showed " + what + ":\n" + s + "\n--- tui.log: " + tuiLog());
    }

    private String awaitText(String text) throws Exception {
        return awaitScreen("'" + text + "'", s -> s.contains(text));
    }

    private String tuiLog() throws IOException {
        Path accounts = dir.resolve("data").resolve("accounts");
        if (!Files.isDirectory(accounts)) return "(none)";
        try (var s = Files.walk(accounts)) {
            List<Path> logs = s.filter(p -> p.getFileName().toString().equals("tui.log")).toList();
            StringBuilder b = new StringBuilder();
            for (Path l : logs) b.append(Files.readString(l));
            return b.toString();
        }
    }

    private static int run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), String.join(" ", cmd));
        return p.exitValue();
    }

    /** Runs a shell command in the pane and returns what it printed between two markers. */
    private String inShell(String command) throws Exception {
        String mark = "m" + UUID.randomUUID().toString().substring(0, 6);
        // Quoted so that the typed line itself never contains the markers the output is cut by.
        type("echo " + mark + "-be''gin; " + command + "; echo " + mark + "-e''nd");
        keys("Enter");
        // The marker on a line of its own: the echoed command line ends in "echo <mark>-end" too, before any output.
        String s = awaitScreen("the output of " + command,
                x -> x.contains("\n" + mark + "-end\n") || x.endsWith("\n" + mark + "-end"));
        String[] parts = s.split(mark + "-begin\n");
        String tail = parts[parts.length - 1];
        return tail.substring(0, tail.indexOf(mark + "-end")).strip();
    }

    // ---- the tests -----------------------------------------------------------------------------------------

    @Test
    void aPersonOpensSendsEditsReactsSearchesReceivesResizesAndQuitsToAnIntactShell() throws Exception {
        Path novyse = launcher("--data-dir", dir.resolve("data").toString());
        shell(100, 30);
        String sttyBefore = inShell("stty -g");

        type(novyse + "; echo exit=$?");
        keys("Enter");
        String s = awaitScreen("the chat list and the newest chat", x -> x.contains("● live") && x.contains("Hikes")
                && x.contains("Team") && x.contains("good morning from bob"));
        assertTrue(s.lines().reduce((a, b) -> b).orElse("").contains("alice@"), "the status bar is the last row:\n" + s);

        type("hello from tmux 你好 🎉");
        keys("Enter");
        // Shown at once as "you … sending…", then as ALICE's message once the server took it.
        awaitScreen("the send delivered", x -> x.contains("ALICE │ hello from tmux 你好 🎉") && !x.contains("sending…"));
        assertEquals("hello from tmux 你好 🎉", history(bob, team).get(1).path("content").asText());

        keys("Up", "e", "C-u");
        type("hello edited");
        keys("Enter");
        awaitText("hello edited (edited)");
        assertEquals("hello edited", history(bob, team).get(1).path("content").asText());

        keys("Up", "+", "1");
        awaitText("👍 1");
        assertEquals("👍", history(bob, team).get(1).path("reactions").get(0).path("reaction").asText(),
                history(bob, team).toString());

        keys("C-f");
        awaitText("Search all chats");
        type("ridge");
        awaitScreen("the search hit", x -> x.contains("Hikes") && x.contains("the trail to the ridge"));
        keys("Enter");
        awaitScreen("the Hikes chat opened on the hit", x -> !x.contains("Search all chats")
                && x.lines().findFirst().orElse("").contains("Hikes"));

        new E2e.As(api, bob).send(hikes, 0, "live from bob ⛰️ and ☕");
        s = awaitText("live from bob");
        for (String line : s.lines().toList()) {
            if (line.contains("live from bob")) {
                assertTrue(line.contains("│ live from bob"), "the message sits in the message column: " + line);
            }
        }

        assertEquals(0, run("tmux", "-L", socket, "resize-window", "-t", "t", "-x", "72", "-y", "20"));
        s = awaitScreen("the 72x20 layout", x -> x.lines().count() == 20 && x.lines().reduce((a, b) -> b).orElse("").contains("live"));
        assertTrue(s.contains("live from bob"), "the open chat after the resize:\n" + s);
        for (String line : s.lines().toList()) {
            assertTrue(line.length() <= 72, "a line wider than the window: " + line);
        }

        keys("C-q");
        s = awaitText("exit=0");
        assertFalse(s.contains("● live"), "the chat screen is gone (alternate screen left):\n" + s);
        assertTrue(s.contains("ready$"), "the prompt is back:\n" + s);
        assertEquals(sttyBefore, inShell("stty -g"), "the tty settings are the ones before novyse");
        assertEquals("typed back", inShell("echo typed back"), "the shell echoes and runs what is typed");
    }

    @Test
    void theDemoStartsInTheTerminalWithAPeerTalkingAndCtrlCLeavesAnIntactShell() throws Exception {
        Path novyse = launcher();
        shell(110, 32);
        String sttyBefore = inShell("stty -g");
        type(novyse + " demo --seed 3; echo exit=$?");
        keys("Enter");
        String s = awaitText("● live");
        assertTrue(s.contains("Platform team") && s.contains("日本語 practice"), "the seeded chats:\n" + s);
        // The simulated peer keeps talking: some screen line changes without a key press.
        String before = screen();
        awaitScreen("the peer typing or writing", x -> !x.equals(before));

        keys("C-c");
        s = awaitText("exit=0");
        assertFalse(s.contains("● live"), "the chat screen is gone:\n" + s);
        assertEquals(sttyBefore, inShell("stty -g"), "the tty settings are the ones before the demo");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("novyse-demo-")).toList(),
                    "the demo removed its workspace");
        }
    }

    @Test
    void aBadKeyBindingInTheConfigIsOneLineAndExitTwoBeforeTheScreenOpens() throws Exception {
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "theme = mono\nkeys.teleport = C-t\n");
        Path novyse = launcher("--data-dir", dir.resolve("data").toString());
        shell(100, 20);
        type(novyse + "; echo exit=$?");
        keys("Enter");
        String s = awaitText("exit=2");
        assertTrue(s.contains("novyse: " + config + ": unknown key binding 'keys.teleport'"), s);
        assertFalse(s.contains("Exception"), s);
    }
}
