package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Getting around and writing like a power user (issue 11), driven in tmux with the bytes a terminal sends and
 * checked on the screen and on the server: the chat switcher (C-k, {@code /open}) and the draft handed to
 * {@code $EDITOR} (C-x C-e, {@code /edit}).
 */
class PowerUserE2eTest {
    private static final byte CR = 0x0d;
    private static final byte ESC = 0x1b;
    private static final byte CTRL_K = 0x0b;
    private static final byte[] CTRL_X_CTRL_E = {0x18, 0x05};

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    E2e.As bob;
    String team;
    String dm;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        RawApi.Account alice = f.alice;
        bob = new E2e.As(api, api.signup("bob"));
        E2e.As carol = new E2e.As(api, api.signup("carol"));
        // The DM's title on alice's screen is carol's name, CAROL; the DM is older than the groups.
        dm = carol.createChat("DM", null, null, alice.uuid());
        carol.send(dm, 0, "psst, alice");
        String books = bob.createChat("FORUM", "Books", null, alice.uuid());
        bob.ok("POST", "/chat/sub/create", Map.of("chatUUID", books, "name", "poetry", "type", "TEXT"));
        bob.send(books, 0, "welcome to Books");
        String garden = bob.createChat("GROUP", "Garden", null, alice.uuid());
        bob.send(garden, 0, "hello from Garden");
        team = bob.createChat("GROUP", "Team", null, alice.uuid());
        bob.send(team, 0, "hello from Team");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }


    /** Starts novyse in the shell, {@code env} (NAME=value words) before it, and waits for Team open. */
    private void openTheChatScreen(String env) throws Exception {
        tmux.type(env + " " + Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen with Team open", s -> s.contains("● live") && s.contains("# Team  group")
                && s.contains("hello from Team"));
    }

    /** The message pane's header: what chat is open. */
    private static String header(String screen) {
        String first = screen.lines().findFirst().orElse("");
        return first.contains("│") ? first.substring(first.indexOf('│') + 1).strip() : first.strip();
    }

    /** What the composer shows: the lines between its rule ("── message …") and the status bar, one per line. */
    private static String composer(String screen) {
        List<String> lines = screen.lines().toList();
        int rule = -1;
        for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains("── message ")) rule = i;
        if (rule < 0) return "";
        return lines.subList(rule + 1, lines.size() - 1).stream()
                .map(l -> l.contains("│") ? l.substring(l.lastIndexOf('│') + 1) : l)
                .map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
    }

    private List<String> stored(String chat) {
        return f.stored(chat);
    }

    private String awaitStored(String chat, int count) throws Exception {
        return f.awaitStored(chat, count);
    }

    @Test
    void theSwitcherOpensADmByPartOfThePartnersNameAndOpenWithOneMatchOpensIt() throws Exception {
        openTheChatScreen("");
        tmux.bytes("a draft for Team");
        tmux.awaitText("a draft for Team");

        // Esc leaves everything as it was.
        tmux.bytes(CTRL_K);
        tmux.awaitText("Open a chat");
        tmux.bytes("gar");
        tmux.awaitScreen("Garden offered", s -> s.contains("│ # Garden") && s.contains("> gar"));
        tmux.bytes(ESC);
        String s = tmux.awaitScreen("the dialog closed", x -> !x.contains("Open a chat"));
        assertEquals("# Team  group", header(s));
        assertEquals("a draft for Team", composer(s));

        // Part of the DM partner's name; the list is narrowed as it is typed.
        tmux.bytes(CTRL_K);
        tmux.awaitScreen("every chat listed", x -> x.contains("Open a chat") && x.contains("│ @ CAROL")
                && x.contains("│ # Garden") && x.contains("│ ▸ Books"));
        tmux.bytes("aro");
        tmux.awaitScreen("only CAROL left", x -> x.contains("> aro") && x.contains("│ @ CAROL")
                && !x.contains("│ # Garden") && !x.contains("│ ▸ Books"));
        tmux.bytes(CR);
        s = tmux.awaitScreen("the DM open", x -> header(x).startsWith("@ CAROL") && x.contains("psst, alice")
                && !x.contains("Open a chat"));
        assertEquals("", composer(s), "the DM has no draft of its own");

        // /open with a single match opens it at once, with the draft it had.
        tmux.bytes("/open tea");
        tmux.bytes(CR);
        s = tmux.awaitScreen("Team open again", x -> header(x).startsWith("# Team") && x.contains("a draft for Team"));
        assertFalse(s.contains("Open a chat"), "one match: no dialog\n" + s);

        // A forum's sub by its name: read in the background, then opened.
        tmux.bytes(CTRL_K);
        tmux.awaitText("Open a chat");
        tmux.bytes("poet");
        tmux.awaitText("▸ Books / poetry");
        tmux.bytes(CR);
        tmux.awaitScreen("the sub open", x -> header(x).startsWith("▸ Books") && header(x).contains("/ poetry"));

        // /open with several matches opens the dialog with the text typed.
        tmux.bytes("/open e");
        tmux.bytes(CR);
        s = tmux.awaitScreen("the switcher with 'e'", x -> x.contains("Open a chat") && x.contains("> e")
                && x.contains("│ # Team") && x.contains("│ # Garden"));
        tmux.bytes(ESC);
        tmux.awaitScreen("the dialog closed", x -> !x.contains("Open a chat"));
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
        assertEquals(List.of("hello from Team"), stored(team), "nothing was sent");
    }

    @Test
    void theDraftGoesToEditorAndComesBackAsOneMessageAndAFailingEditorLeavesItAlone() throws Exception {
        Path exitCode = dir.resolve("editor-exit");
        Files.writeString(exitCode, "0");
        Path seen = dir.resolve("editor-saw");
        Path editor = dir.resolve("editor.sh");
        // Appends a line to the file it is given, notes the file's mode and whether it has the terminal, exits as told.
        Files.writeString(editor, "#!/bin/sh\n"
                + "stat -c %a \"$1\" > " + Tmux.quote(seen.toString()) + "\n"
                + "if [ -t 0 ] && [ -t 1 ]; then echo tty >> " + Tmux.quote(seen.toString()) + "; fi\n"
                + "printf 'added by the editor\\n' >> \"$1\"\n"
                + "exit \"$(cat " + Tmux.quote(exitCode.toString()) + ")\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        openTheChatScreen("EDITOR=" + Tmux.quote(editor.toString()));

        tmux.bytes("first line");
        tmux.awaitText("first line");
        tmux.bytes(CTRL_X_CTRL_E);
        String s = tmux.awaitScreen("the edited draft in the composer",
                x -> composer(x).equals("first line\nadded by the editor") && x.contains("● live"));
        assertTrue(s.contains("hello from Team") && header(s).startsWith("# Team"), "the whole screen drawn again:\n" + s);
        assertEquals(List.of("600", "tty"), Files.readAllLines(seen), "a private file, the editor on the terminal");
        assertEquals(1, stored(team).size(), "the editor's result is never sent by itself");
        tmux.bytes(CR);
        assertEquals("first line\nadded by the editor", awaitStored(team, 2), "one message with both lines");

        // /edit starts from the words after it.
        tmux.bytes("/edit from the command");
        tmux.bytes(CR);
        tmux.awaitScreen("the /edit draft back", x -> composer(x).equals("from the command\nadded by the editor"));
        tmux.bytes(CR);
        assertEquals("from the command\nadded by the editor", awaitStored(team, 3));

        // An editor exiting 1 leaves the draft as it was, whatever it wrote.
        Files.writeString(exitCode, "1");
        tmux.bytes("keep me as I am");
        tmux.awaitText("keep me as I am");
        tmux.bytes(CTRL_X_CTRL_E);
        s = tmux.awaitText("editor.sh exited with 1; the draft is as it was");
        assertEquals("keep me as I am", composer(s));
        tmux.bytes(CR);
        assertEquals("keep me as I am", awaitStored(team, 4));
        tmux.bytes("/edit kept too");
        tmux.bytes(CR);
        tmux.awaitScreen("the /edit text kept", x -> composer(x).equals("kept too") && x.contains("exited with 1"));
        tmux.bytes(CR);
        assertEquals("kept too", awaitStored(team, 5));

        tmux.keys("C-q");
        tmux.awaitText("exit=0");
        try (var left = Files.list(dir.resolve("tmp"))) {
            assertEquals(List.of(), left.filter(p -> p.getFileName().toString().startsWith("novyse-draft")).toList(),
                    "the draft's file is deleted");
        }
    }

    @Test
    void theEditorGetsTheKeysTypedWhileItRuns() throws Exception {
        Path editor = dir.resolve("asking-editor.sh");
        // An editor that reads what is typed on the terminal: novyse must not read the tty meanwhile.
        Files.writeString(editor, "#!/bin/sh\nprintf 'editor> '\nread line\nprintf '%s\\n' \"$line\" >> \"$1\"\n");
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        openTheChatScreen("VISUAL=" + Tmux.quote(editor.toString()) + " EDITOR=/nonexistent/editor");
        tmux.bytes("the start");
        tmux.awaitText("the start");
        tmux.bytes(CTRL_X_CTRL_E);
        String s = tmux.awaitScreen("the editor's prompt on the shell's screen", x -> x.contains("editor>"));
        assertFalse(s.contains("● live"), "the chat screen is put away meanwhile:\n" + s);
        tmux.bytes("typed in the editor, every key of it");
        tmux.bytes(CR);
        tmux.awaitScreen("the draft back", x -> x.contains("● live")
                && composer(x).equals("the start\ntyped in the editor, every key of it"));
        tmux.bytes(CR);
        assertEquals("the start\ntyped in the editor, every key of it", awaitStored(team, 2));
    }
}
