package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tab completion in the composer (issue 11 item 3), driven in tmux with the bytes a terminal sends (Tab is 0x09,
 * S-Tab ESC [ Z) and checked on the screen and on the server: a member by two letters of the handle, cycling
 * between two who share them, an emoji shortcode, a slash command, and Tab's old meaning with nothing to complete.
 */
class CompletionE2eTest {
    private static final byte CR = 0x0d;
    private static final byte TAB = 0x09;
    private static final byte ESC = 0x1b;
    private static final byte[] SHIFT_TAB = {ESC, '[', 'Z'};
    private static final byte[] F6 = {ESC, '[', '1', '7', '~'};

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    E2e.As bob;
    String team;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        RawApi.Account alice = f.alice;
        bob = new E2e.As(api, api.signup("bob"));
        RawApi.Account kevin = api.signup("kevin");
        RawApi.Account keira = api.signup("keira");
        // Outside the chat: never offered, though the handle starts the same.
        api.signup("kenji");
        team = bob.createChat("GROUP", "Team", null, alice.uuid(), kevin.uuid(), keira.uuid());
        bob.send(team, 0, "hello from Team");
        f.login();
        tmux = f.terminal(100, 30);
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen with Team open", s -> s.contains("● live") && s.contains("# Team  group")
                && s.contains("hello from Team"));
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
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

    private List<String> stored() {
        return f.stored(team);
    }

    private String awaitStored(int count) throws Exception {
        return f.awaitStored(team, count);
    }

    private String awaitComposer(String what, String text) throws Exception {
        return tmux.awaitScreen(what + ": the composer shows '" + text + "'", s -> composer(s).equals(text));
    }

    @Test
    void aMemberByTwoLettersOfTheHandleIsCompletedAndSent() throws Exception {
        tmux.bytes("hi @bo");
        awaitComposer("typed", "hi @bo");
        tmux.bytes(TAB);
        awaitComposer("completed", "hi @bob");
        // The completion ends in a space: the next word follows it.
        tmux.bytes("how are you");
        awaitComposer("typed on", "hi @bob how are you");
        tmux.bytes(CR);
        assertEquals("hi @bob how are you", awaitStored(2));
    }

    @Test
    void tabCyclesBetweenMembersSharingThePrefixAndShiftTabGoesBack() throws Exception {
        tmux.bytes("@ke");
        awaitComposer("typed", "@ke");
        tmux.bytes(TAB);
        String s = awaitComposer("the first of two", "@keira");
        assertTrue(s.contains("[@keira]  @kevin"), "the candidates on the status line:\n" + s);
        tmux.bytes(TAB);
        awaitComposer("the second replaces the first", "@kevin");
        tmux.bytes(SHIFT_TAB);
        awaitComposer("back to the first", "@keira");
        tmux.bytes(TAB);
        awaitComposer("the second again", "@kevin");
        tmux.bytes("thanks");
        s = awaitComposer("another key keeps it", "@kevin thanks");
        // The candidates go with the completion: they no longer apply (they stayed on the status bar for seconds).
        assertFalse(s.contains("[@kevin]"), "the candidates left the status line:\n" + s);
        tmux.bytes(CR);
        assertEquals("@kevin thanks", awaitStored(2));

        // Two Tabs at once, before the members are read: both count.
        tmux.bytes("@ke");
        awaitComposer("typed again", "@ke");
        tmux.bytes(TAB, TAB);
        awaitComposer("two steps", "@kevin");
        tmux.bytes(CR);
        assertEquals("@kevin", awaitStored(3));
    }

    @Test
    void anEmojiShortcodeBecomesTheEmojiAndACommandIsCompleted() throws Exception {
        tmux.bytes("we shipped :tad");
        awaitComposer("typed", "we shipped :tad");
        tmux.bytes(TAB);
        awaitComposer("the emoji", "we shipped 🎉");
        tmux.bytes(CR);
        assertEquals("we shipped 🎉", awaitStored(2));

        tmux.bytes("/se");
        awaitComposer("typed", "/se");
        tmux.bytes(TAB);
        awaitComposer("the command", "/search");
        tmux.bytes("from");
        awaitComposer("the command's argument after its space", "/search from");
        tmux.bytes(CR);
        tmux.awaitScreen("the search dialog with the hit", s -> s.contains("Search all chats")
                && s.contains("hello from Team"));
        assertEquals(2, stored().size(), "a command is not sent");
    }

    @Test
    void withNothingToCompleteTabMovesTheFocusAsBeforeAndF6AlwaysDoes() throws Exception {
        tmux.bytes("plain words ");
        awaitComposer("typed", "plain words");
        // Composer → chat list (an x there is no text), → the messages, where one is selected.
        tmux.bytes(TAB);
        tmux.bytes("x");
        tmux.bytes(TAB);
        tmux.awaitText("SELECTING a message");
        tmux.bytes(ESC);
        tmux.awaitScreen("back to writing", s -> s.contains("── message Team") && !s.contains("SELECTING"));
        tmux.bytes("more @ke");
        awaitComposer("the text kept, nothing typed in the list", "plain words more @ke");
        // F6 moves the focus even with a word to complete.
        tmux.bytes(F6);
        tmux.bytes(F6);
        tmux.awaitText("SELECTING a message");
        tmux.bytes(ESC);
        tmux.awaitScreen("back to writing", s -> s.contains("── message Team") && !s.contains("SELECTING"));
        tmux.bytes(" @zz");
        tmux.bytes(TAB);
        tmux.awaitScreen("nothing matches, said on the status line", s -> s.contains("nothing to complete for @zz")
                && composer(s).equals("plain words more @ke @zz"));
        tmux.bytes(CR);
        assertEquals("plain words more @ke @zz", awaitStored(2));
    }
}
