package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Attachments in the chat screen, driven in tmux with the bytes a terminal sends: a message with two files asks
 * which one to save, and a folder typed that does not exist yet is made.
 */
class AttachmentsE2eTest {
    private static final byte CR = 0x0d;
    private static final byte BACKSPACE = 0x7f;
    private static final byte CTRL_U = 0x15;
    private static final byte[] UP = {0x1b, '[', 'A'};

    @TempDir
    Path dir;
    ChatScreenFixture f;
    Tmux tmux;
    byte[] notes;

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
        notes = new byte[50_000];
        new java.util.Random(3).nextBytes(notes);
        Path second = Files.write(dir.resolve("notes.bin"), notes);
        E2e.Run send = E2e.cli("", "--data-dir", dir.resolve("bob").toString(), "send", team, "--file", first.toString(),
                "--file", second.toString(), "two files for you");
        assertEquals(0, send.code(), send.toString());
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void theSecondFileOfATwoFileMessageIsSavedIntoAFolderThatDidNotExist() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the message with its two files", s -> s.contains("● live") && s.contains("two files for you")
                && s.contains("▪ agenda.txt") && s.contains("▪ notes.bin"));
        tmux.bytes(UP);
        tmux.bytes("s");
        tmux.awaitText("Save which file? 1 agenda.txt · 2 notes.bin");
        tmux.bytes(BACKSPACE);
        tmux.bytes("2");
        tmux.bytes(CR);
        tmux.awaitText("Save notes.bin to");
        Path target = dir.resolve("not-yet").resolve("there").resolve("notes.bin");
        assertFalse(Files.exists(target.getParent().getParent()));
        tmux.bytes(CTRL_U);
        tmux.bytes(target.toString());
        tmux.bytes(CR);
        tmux.awaitText("saved " + target);
        assertArrayEquals(notes, Files.readAllBytes(target), "the second file, byte for byte");
        assertFalse(Files.exists(target.resolveSibling("agenda.txt")));
    }

    @Test
    void aFolderTypedGetsTheFileUnderItsNameAndAFileThereIsReplacedOnlyWhenSaidSo() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the message with its two files", s -> s.contains("● live") && s.contains("▪ notes.bin"));
        Path folder = dir.resolve("inbox");
        // A path typed with a slash at its end is a folder, made, with the file under its own name in it.
        save(folder + "/");
        tmux.awaitText("saved " + folder.resolve("agenda.txt"));
        assertEquals("first file", Files.readString(folder.resolve("agenda.txt")));
        // The folder again, now that it exists: the file is there, so the screen asks; No keeps it as it is.
        Files.writeString(folder.resolve("agenda.txt"), "my own edits");
        save(folder.toString());
        tmux.awaitText(folder.resolve("agenda.txt") + " exists. Replace it?");
        tmux.bytes("n");
        tmux.awaitScreen("the question gone", s -> !s.contains("Replace it?"));
        assertEquals("my own edits", Files.readString(folder.resolve("agenda.txt")));
        save(folder.resolve("agenda.txt").toString());
        tmux.awaitText("Replace it?");
        tmux.bytes("y");
        tmux.awaitText("saved " + folder.resolve("agenda.txt"));
        assertEquals("first file", Files.readString(folder.resolve("agenda.txt")));
    }

    /** s on the newest message, its first file, {@code path} typed over what is offered, Enter. */
    private void save(String path) throws Exception {
        tmux.bytes(UP);
        tmux.bytes("s");
        tmux.awaitText("Save which file?");
        tmux.bytes(CR);
        tmux.awaitText("Save agenda.txt to");
        tmux.bytes(CTRL_U);
        tmux.bytes(path);
        tmux.bytes(CR);
    }

    @Test
    void theConfiguredDownloadFolderIsOfferedAndMadeOnSave() throws Exception {
        Path config = Files.createDirectories(dir.resolve("xdg-config").resolve("novyse")).resolve("config");
        Files.writeString(config, "download-dir = ~/from-config/files\n"); // ~ is the shell's HOME: the test folder
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the message with its two files", s -> s.contains("● live") && s.contains("▪ notes.bin"));
        tmux.bytes(UP);
        tmux.bytes("s");
        tmux.awaitText("Save which file?");
        tmux.bytes(CR); // the first, as offered
        Path offered = dir.resolve("from-config").resolve("files").resolve("agenda.txt");
        tmux.awaitText("Save agenda.txt to");
        tmux.awaitText(offered.toString());
        tmux.bytes(CR);
        tmux.awaitText("saved " + offered);
        assertEquals("first file", Files.readString(offered));
    }
}
