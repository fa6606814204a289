package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Copying and opening links in the chat screen, driven in tmux with the bytes a terminal sends: {@code y} on a
 * selected message puts its text on the clipboard with OSC 52 (read back from tmux's buffer under
 * {@code set-clipboard on}), {@code o} on a message with two links asks which, and runs the configured opener with it.
 */
class LinksAndCopyE2eTest {
    private static final byte CR = 0x0d;
    private static final byte BACKSPACE = 0x7f;
    private static final byte[] UP = {0x1b, '[', 'A'};
    private static final String FIRST = "https://example.org/first";
    private static final String SECOND = "https://example.com/a/second?q=1&r=2";

    @TempDir
    Path dir;
    ChatScreenFixture f;
    Tmux tmux;
    String team;
    E2e.As bob;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        bob = new E2e.As(f.api, f.api.signup("bob"));
        team = bob.createChat("GROUP", "Team", null, f.alice.uuid());
        f.login();
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private void send(String text) throws Exception {
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("bob").toString(), "--server",
                f.server.url(), "login", "bob");
        assertEquals(0, login.code(), login.toString());
        E2e.Run send = E2e.cli("", "--data-dir", dir.resolve("bob").toString(), "send", team, text);
        assertEquals(0, send.code(), send.toString());
    }

    private void launch() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
    }

    @Test
    void yCopiesTheSelectedMessagesTextWithOsc52() throws Exception {
        String text = "copy me: café 🎉";
        send(text);
        tmux.set("set-clipboard", "on");
        launch();
        tmux.awaitScreen("the message", s -> s.contains("● live") && s.contains("copy me: caf"));
        tmux.bytes(UP);
        tmux.bytes("y");
        tmux.awaitText("copied 15 characters");
        assertEquals(text, tmux.buffer(), "tmux's buffer holds the message's text exactly");
    }

    @Test
    void oAsksWhichOfTwoLinksAndRunsTheOpenerWithIt() throws Exception {
        send("two links: " + FIRST + " and " + SECOND + ".");
        Path opened = dir.resolve("opened.txt");
        Path opener = dir.resolve("opener.sh");
        Files.writeString(opener, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + opened + ".tmp'\nmv '" + opened + ".tmp' '" + opened + "'\n");
        Files.setPosixFilePermissions(opener, PosixFilePermissions.fromString("rwx------"));
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "open = " + opener + " {url}\n");
        launch();
        tmux.awaitScreen("the message", s -> s.contains("● live") && s.contains("two links:"));
        tmux.bytes(UP);
        tmux.bytes("o");
        tmux.awaitText("Open which link? 1 " + FIRST);
        tmux.bytes(BACKSPACE);
        tmux.bytes("2");
        tmux.bytes(CR);
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(opened) && System.nanoTime() < deadline) Thread.sleep(100);
        assertEquals(SECOND + "\n", Files.readString(opened, StandardCharsets.UTF_8), "the opener got the second URL alone");
    }
}
