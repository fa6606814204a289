package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Writing in the chat screen with the bytes a real terminal sends (tmux send-keys -H, paste-buffer -p), checked
 * both on the screen and in what the server stores: new lines as every terminal encodes them, a bracketed paste,
 * editing next to emoji, C-z and fg, C-\.
 */
class TerminalInputE2eTest {
    private static final byte ESC = 0x1b;
    private static final byte CR = 0x0d;
    private static final byte LF = 0x0a;
    private static final byte DEL = 0x7f;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    RawApi.Account bob;
    String team;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        RawApi.Account alice = f.alice;
        bob = api.signup("bob");
        team = new E2e.As(api, bob).createChat("GROUP", "Team", null, alice.uuid());
        new E2e.As(api, bob).send(team, 0, "good morning from bob");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }


    private void openTheChatScreen() throws Exception {
        openTheChatScreen("; echo exit=$?");
    }

    /** Starts novyse in the shell with {@code after} on the same command line. */
    private void openTheChatScreen(String after) throws Exception {
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + after);
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("good morning from bob"));
    }

    private List<String> stored() {
        return f.stored(team);
    }

    /** Waits until the server holds {@code count} messages in Team and returns the newest. */
    private String awaitStored(int count) throws Exception {
        return f.awaitStored(team, count);
    }

    @Test
    void aNewLineAsEveryTerminalSendsItAndAPasteOfThreeLinesEachMakeOneMessage() throws Exception {
        openTheChatScreen();
        tmux.type("M-Enter as ESC CR");
        tmux.bytes(ESC, CR);
        tmux.type("second line");
        tmux.bytes(CR); // Enter
        assertEquals("M-Enter as ESC CR\nsecond line", awaitStored(2));

        tmux.type("M-Enter as ESC LF");
        tmux.bytes(ESC, LF);
        tmux.type("second line");
        tmux.bytes(CR);
        assertEquals("M-Enter as ESC LF\nsecond line", awaitStored(3));

        tmux.type("C-j");
        tmux.bytes(LF);
        tmux.type("second line");
        tmux.bytes(CR);
        assertEquals("C-j\nsecond line", awaitStored(4));

        tmux.paste("pasted one\npasted two\npasted three");
        tmux.awaitScreen("the paste in the composer", s -> s.contains("pasted three"));
        assertEquals(4, stored().size(), "a paste is never sent by itself");
        tmux.bytes(CR);
        assertEquals("pasted one\npasted two\npasted three", awaitStored(5));
        tmux.awaitText("pasted three");
    }

    @Test
    void lettersOfTwoUtf8BytesReachTheTerminalAsTheyAreWithNothingAfterThem() throws Exception {
        // Lanterna's own per-char output followed every character of two UTF-8 bytes with a NUL: invisible in
        // tmux, but in the bytes (a recording, a terminal that shows NUL, a slow link's bandwidth).
        Path recording = dir.resolve("screen.bytes");
        tmux.record(recording);
        String text = "Grüße · Ελλάδα · Привет · שלום · é";
        new E2e.As(api, bob).send(team, 0, text);
        openTheChatScreen();
        tmux.awaitText(text);
        tmux.bytes("naïve café");
        tmux.awaitText("naïve café");
        // tmux hands the program's bytes to the recording on its own time: read it once the last letter is in.
        String shown = "";
        for (long end = System.nanoTime() + 30_000_000_000L; System.nanoTime() < end && !shown.contains("ï"); ) {
            shown = new String(Files.readAllBytes(recording), StandardCharsets.UTF_8);
            if (!shown.contains("ï")) Thread.sleep(50);
        }
        String recorded = shown;
        int nul = recorded.indexOf('\0');
        assertEquals(-1, nul, () -> "a NUL byte after " + recorded.substring(Math.max(0, nul - 20), nul));
        assertTrue(recorded.contains("Grüße") && recorded.contains("Привет") && recorded.contains("ï"), recorded);
    }

    @Test
    void upAndDownMoveBetweenTheLinesOfADraft() throws Exception {
        openTheChatScreen();
        tmux.type("first line");
        tmux.bytes(ESC, CR);
        tmux.type("second");
        tmux.bytes(ESC, (byte) '[', (byte) 'A'); // Up: to the first line, six characters in
        tmux.type("X");
        tmux.bytes(ESC, (byte) '[', (byte) 'B'); // Down: back to the second line, seven in (its end)
        tmux.type("Y");
        tmux.bytes(CR);
        assertEquals("first Xline\nsecondY", awaitStored(2));
    }

    @Test
    void editingNextToEmojiStoresExactlyTheIntendedText() throws Exception {
        openTheChatScreen();
        int n = 1;
        // Backspace after an emoji, a ZWJ family, a flag and a skin-toned thumb removes all of it.
        for (String emoji : List.of("🎉", "👨‍👩‍👧‍👦", "🇩🇪", "👍🏽")) {
            tmux.bytes("keep " + emoji);
            tmux.bytes(DEL);
            tmux.bytes("!");
            tmux.bytes(CR);
            assertEquals("keep !", awaitStored(++n), "Backspace after " + emoji);
        }
        // An insert between an emoji and the text before it.
        tmux.bytes("split😀");
        tmux.keys("Left");
        tmux.bytes("Y");
        tmux.bytes(CR);
        assertEquals("splitY😀", awaitStored(++n));
        // Left over a family and a flag moves over each whole.
        tmux.bytes("a👨‍👩‍👧‍👦🇩🇪b");
        tmux.keys("Left", "Left", "Left");
        tmux.bytes("_");
        tmux.bytes(CR);
        assertEquals("a_👨‍👩‍👧‍👦🇩🇪b", awaitStored(++n));
        tmux.awaitText("a_");
    }

    @Test
    void ctrlZStopsToTheShellFgRedrawsEverythingAndCtrlBackslashLeavesTheScreenAlone() throws Exception {
        String sttyBefore = tmux.inShell("stty -g");
        openTheChatScreen(""); // a job of its own: bash would run the rest of a list once it stops
        tmux.bytes((byte) 0x1c); // C-\: a key now, not SIGQUIT's thread dump over the screen
        Thread.sleep(300);
        String s = tmux.screen();
        assertTrue(s.contains("● live") && !s.contains("Full thread dump"), s);

        tmux.bytes((byte) 0x1a); // C-z
        s = tmux.awaitScreen("the shell after C-z", x -> x.contains("Stopped") && x.contains("ready$"));
        assertFalse(s.contains("● live"), "the screen is left while stopped:\n" + s);
        assertEquals(sttyBefore, tmux.inShell("stty -g"), "the tty as the shell had it while novyse is stopped");

        // The window made smaller while novyse is stopped: its SIGWINCH goes to the shell, not to novyse.
        tmux.resize(90, 26);
        tmux.type("fg");
        tmux.keys("Enter");
        s = tmux.awaitScreen("the whole screen again, at the new size", x -> x.contains("● live") && x.contains("Team")
                && x.contains("good morning from bob") && x.lines().reduce((a, b) -> b).orElse("").contains("alice@")
                && x.lines().reduce((a, b) -> b).orElse("").stripTrailing().endsWith("F1 help")
                && x.lines().findFirst().orElse("").startsWith(" Chats"));
        tmux.type("after fg");
        tmux.bytes(CR);
        assertEquals("after fg", awaitStored(2));

        tmux.keys("C-q");
        tmux.awaitScreen("the prompt back", x -> !x.contains("● live") && x.strip().endsWith("ready$"));
        tmux.type("echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitText("exit=0");
        assertEquals(sttyBefore, tmux.inShell("stty -g"), "the tty settings are the ones before novyse");
    }
    @Test
    void ctrlZWithoutJobControlSaysSoAndTheScreenGoesOn() throws Exception {
        // exec: novyse takes the shell's place as the window's session leader, as with `ssh host novyse` or
        // `tmux new-window novyse`: no shell could continue a stopped novyse, and the kernel drops SIGTSTP there.
        tmux.type("exec " + Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()));
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", x -> x.contains("● live") && x.contains("good morning from bob"));
        tmux.bytes((byte) 0x1a); // C-z
        String s = tmux.awaitScreen("the no-job-control notice", x -> x.contains("no job control here"));
        assertTrue(s.contains("● live") && s.contains("good morning from bob"), "the screen stays whole:\n" + s);
        tmux.type("still here");
        tmux.bytes(CR);
        assertEquals("still here", awaitStored(2));
    }
}
