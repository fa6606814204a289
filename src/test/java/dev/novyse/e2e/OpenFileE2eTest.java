package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Opening an attachment from the chat screen, driven in tmux with the bytes a terminal sends: {@code f} on a message
 * with two files asks which, fetches it into a private folder of the cache and hands its path to the {@code open}
 * command, or, for text, to {@code $PAGER} with the screen lent to it. Scripts stand in for both and record their
 * arguments.
 */
class OpenFileE2eTest {
    private static final byte CR = 0x0d;
    private static final byte BACKSPACE = 0x7f;
    private static final byte[] UP = {0x1b, '[', 'A'};

    @TempDir
    Path dir;
    ChatScreenFixture f;
    Tmux tmux;
    byte[] notes;
    Path recorded;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        E2e.As bob = new E2e.As(f.api, f.api.signup("bob"));
        String team = bob.createChat("GROUP", "Team", null, f.alice.uuid());
        f.login();
        E2e.Run bobLogin = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", dir.resolve("bob").toString(), "--server",
                f.server.url(), "login", "bob");
        assertEquals(0, bobLogin.code(), bobLogin.toString());
        Path first = Files.writeString(dir.resolve("agenda.txt"), "first file");
        notes = new byte[20_000];
        new java.util.Random(5).nextBytes(notes);
        Path second = Files.write(dir.resolve("notes.bin"), notes);
        E2e.Run send = E2e.cli("", "--data-dir", dir.resolve("bob").toString(), "send", team, "--file", first.toString(),
                "--file", second.toString(), "two files for you");
        assertEquals(0, send.code(), send.toString());
        recorded = dir.resolve("recorded.txt");
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    /** A script that writes its arguments, one a line, to {@link #recorded} (whole, by a rename). */
    private Path recorder(String name) throws Exception {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + recorded + ".tmp'\nmv '" + recorded + ".tmp' '"
                + recorded + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        return script;
    }

    private List<String> awaitRecorded() throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!Files.exists(recorded) && System.nanoTime() < deadline) Thread.sleep(100);
        assertTrue(Files.exists(recorded), "the command ran:\n" + tmux.screen());
        return Files.readAllLines(recorded, StandardCharsets.UTF_8);
    }

    private void openFile(String number, String launch) throws Exception {
        tmux.type(launch + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the message with its two files", s -> s.contains("● live") && s.contains("▪ notes.bin"));
        tmux.bytes(UP);
        tmux.bytes("f");
        tmux.awaitText("Open which file? 1 agenda.txt · 2 notes.bin");
        tmux.bytes(BACKSPACE);
        tmux.bytes(number);
        tmux.bytes(CR);
    }

    @Test
    void theSecondFileGoesToTheOpenCommandFromAPrivateFolderOfTheCache() throws Exception {
        Path opener = recorder("opener.sh");
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "open = " + opener + " --new-window {url}\n");
        openFile("2", f.launcher());
        List<String> args = awaitRecorded();
        assertEquals(2, args.size(), "the option and the path, each an argument of its own: " + args);
        assertEquals("--new-window", args.get(0));
        Path opened = Path.of(args.get(1));
        assertEquals("notes.bin", opened.getFileName().toString());
        assertTrue(opened.startsWith(dir.resolve("xdg-cache")), "in the cache: " + opened);
        assertArrayEquals(notes, Files.readAllBytes(opened), "the second file, byte for byte");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(opened)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(opened.getParent())));
    }

    @Test
    void aTextFileIsShownInThePagerWithTheScreenLentToIt() throws Exception {
        Path pager = recorder("pager.sh");
        openFile("1", "PAGER='" + pager + "' " + f.launcher());
        List<String> args = awaitRecorded();
        assertEquals(1, args.size(), "the path alone: " + args);
        assertEquals("first file", Files.readString(Path.of(args.get(0))));
        tmux.awaitScreen("the screen back after the pager", s -> s.contains("● live") && s.contains("two files for you"));
    }
}
