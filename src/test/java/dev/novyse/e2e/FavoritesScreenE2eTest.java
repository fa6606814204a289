package dev.novyse.e2e;

import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account's own marks from the keyboard, in tmux with the bytes a terminal sends: {@code *} on a selected
 * message favourites it (★ beside it, the server's favourites table has it) and takes it back, M-s lists the
 * favourites of every chat and filters them as words are typed, and in the chat list {@code p} pins the selected
 * chat on top and {@code m} mutes it, each on the server and undone by the same key; a reaction given while the
 * server is away waits in the store's reaction queue.
 */
class FavoritesScreenE2eTest {
    private static final byte ESC = 0x1b;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    E2e.As bob;
    String team;
    String other;
    String longChat;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        RawApi.Account alice = f.alice;
        bob = new E2e.As(f.api, f.api.signup("bob"));
        longChat = bob.createChat("GROUP", "Long", null, alice.uuid());
        bob.send(longChat, 0, "the needle far back");
        for (int i = 1; i <= 60; i++) bob.send(longChat, 0, "hay " + i);
        f.api.ok(f.api.put("/message/favorite", alice.token(), java.util.Map.of("chatUUID", longChat, "subID", 0,
                "messageID", 1)));
        other = bob.createChat("GROUP", "Other", null, alice.uuid());
        bob.send(other, 0, "a line in another chat");
        team = bob.createChat("GROUP", "Team", null, alice.uuid());
        E2e.nextMillisecond(); // Team's messages the newest: it opens first
        bob.send(team, 0, "the deploy checklist is in the wiki");
        bob.send(team, 0, "lunch at noon");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private void awaitServer(String what, long want, String sql, Object... args) throws Exception {
        f.awaitServer(what, () -> f.serverCount(sql, args) == want);
    }

    /** The row of the chat list (the left pane) showing {@code name}, or -1. */
    private static int listRow(String screen, String name) {
        java.util.List<String> rows = screen.lines().toList();
        for (int i = 0; i < rows.size(); i++) {
            String left = rows.get(i).split("│", 2)[0];
            if (left.contains("# " + name)) return i;
        }
        return -1;
    }

    /**
     * Escape out of SELECTING, its effect awaited before the next key: an Escape read together with the next bytes
     * (the input thread starved for a moment) would be Alt and that key (ESC ESC [ A is Alt-Up, the previous chat).
     */
    private void leaveSelection() throws Exception {
        tmux.awaitText("SELECTING a message");
        tmux.keys("Escape");
        tmux.awaitScreen("writing again", x -> !x.contains("SELECTING a message"));
    }

    private static String line(String screen, String text) {
        return screen.lines().filter(l -> l.contains(text)).findFirst().orElse("");
    }

    @Test
    void aStarFavouritesTheSelectedMessageAndMetaSListsThem() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("lunch at noon"));
        String favorites = "SELECT COUNT(*) FROM favorites WHERE user_uuid = ? AND chat_uuid = ?";

        tmux.keys("Up", "Up"); // the newest message, then the one before it
        tmux.bytes("*");
        tmux.awaitText("added to your favourites");
        awaitServer("the deploy message among Alice's favourites", 1, favorites, f.alice.uuid(), team);
        String s = tmux.awaitScreen("the star beside it", x -> line(x, "deploy checklist").contains("★"));
        assertTrue(!line(s, "lunch at noon").contains("★"), "only the selected message has the star:\n" + s);

        leaveSelection();
        tmux.bytes(ESC, (byte) 's'); // M-s: the favourites list
        // Awaited whole, not read once: a capture can catch the list half drawn.
        tmux.awaitScreen("the list, the newest favourite first", x -> x.contains("Favourites · 2 hits")
                && x.contains("the needle far back") && x.indexOf("deploy checklist is in the wiki") >= 0
                && x.indexOf("deploy checklist is in the wiki") < x.indexOf("the needle far back"));
        tmux.type("lunch");
        tmux.awaitText("no match for lunch");
        tmux.keys("BSpace", "BSpace", "BSpace", "BSpace", "BSpace");
        tmux.type("wiki");
        tmux.awaitScreen("filtered to the one", x -> x.contains("Favourites · 1 hit") && x.contains("deploy checklist"));
        tmux.keys("Enter");
        tmux.awaitScreen("jumped, list closed", x -> !x.contains("Favourites ·") && x.contains("deploy checklist"));

        leaveSelection(); // the jump selected the message
        tmux.keys("Up", "Up");
        tmux.bytes("*"); // again: taken back
        tmux.awaitText("taken out of your favourites");
        awaitServer("no favourite left", 0, favorites, f.alice.uuid(), team);
        tmux.awaitScreen("the star gone", x -> !x.contains("★"));
        leaveSelection();
        tmux.bytes(ESC, (byte) 's');
        s = tmux.awaitScreen("one left", x -> x.contains("Favourites · 1 hit") && x.contains("the needle far back"));
        assertTrue(s.lines().noneMatch(l -> l.matches(".*│ \\d{4}-\\d{2}-\\d{2} Team .*deploy checklist.*")),
                "the one taken back is not listed:\n" + s);
        tmux.keys("Escape");
    }

    @Test
    void aFavouriteFarBackIsShownWhenTheListJumpsToIt() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("lunch at noon"));
        tmux.bytes(ESC, (byte) 's');
        tmux.awaitScreen("the list", x -> x.contains("Favourites · 1 hit") && x.contains("the needle far back"));
        tmux.keys("Enter");
        // 60 messages came after it: the jump scrolls back to it, selected, with its star.
        // The newest messages out of view, awaited with the rest (a capture half way through a redraw still has them).
        tmux.awaitScreen("the favourite in view", x -> !x.contains("Favourites ·")
                && line(x, "the needle far back").contains("★") && !x.contains("hay 60"));
    }

    @Test
    void pAndMPinAndMuteTheSelectedChatInTheList() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("lunch at noon"));
        String pins = "SELECT COUNT(*) FROM chat_pins WHERE user_uuid = ? AND chat_uuid = ?";
        String mutes = "SELECT COUNT(*) FROM settings WHERE user_uuid = ? AND key = ? AND value = '\"forever\"'";

        tmux.keys("Tab"); // composer → chat list
        tmux.keys("Down"); // Team is first (newest), Other below it
        tmux.bytes("p");
        tmux.awaitText("pinned Other");
        awaitServer("Other pinned", 1, pins, f.alice.uuid(), other);
        tmux.awaitScreen("Other on top", x -> listRow(x, "Other") >= 0 && listRow(x, "Other") < listRow(x, "Team"));

        tmux.bytes("m");
        tmux.awaitText("muted Other");
        awaitServer("Other muted", 1, mutes, f.alice.uuid(), "chat.mute." + other);
        tmux.bytes("m");
        tmux.awaitText("unmuted Other");
        awaitServer("Other unmuted", 0, "SELECT COUNT(*) FROM settings WHERE user_uuid = ? AND key = ?",
                f.alice.uuid(), "chat.mute." + other);

        tmux.bytes("p");
        tmux.awaitText("unpinned Other");
        awaitServer("Other unpinned", 0, pins, f.alice.uuid(), other);
        assertEquals(0, f.serverCount(pins, f.alice.uuid(), team), "Team was never pinned");
    }

    @Test
    void aReactionOfflineIsQueuedNotLost() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("lunch at noon"));
        f.stopServer();
        tmux.awaitScreen("the connection lost", s -> !s.contains("● live"));

        tmux.keys("Up");
        tmux.bytes("+");
        tmux.awaitText("React (1-8");
        tmux.bytes("1"); // 👍
        tmux.awaitText("offline: the reaction is queued");
        // Shown under the message at once, as it will be once delivered (it was drawn only after delivery).
        tmux.awaitScreen("the queued reaction under its message", x -> x.contains("👍 1"));
        // Messages written meanwhile wait in the outbox, and say so: nothing is being sent. Escape seen done before
        // the next key (an Escape at once followed by 'f' is Alt-f).
        tmux.awaitText("SELECTING a message");
        tmux.keys("Escape");
        tmux.awaitScreen("writing again", x -> !x.contains("SELECTING a message"));
        tmux.type("first while away");
        tmux.keys("Enter");
        tmux.type("second while away");
        tmux.keys("Enter");
        String waiting = tmux.awaitScreen("both waiting", s -> s.contains("second while away")
                && s.split("waiting for the server", -1).length == 3);
        assertEquals(1, waiting.lines().filter(l -> l.matches(".*--:-- +you │ .*")).count(),
                "'you' once over the outbox's messages:\n" + waiting);
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
        Path db;
        try (var files = java.nio.file.Files.walk(f.data())) {
            db = files.filter(p -> p.getFileName().toString().equals("store.db")).findFirst().orElseThrow();
        }
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM pending_reaction WHERE emoji = '👍' AND adding = 1"
                + " AND messageID = (SELECT MAX(id) FROM message WHERE content = 'lunch at noon')"));
    }

    @Test
    void aTypedReactionIsAnEmojiOrItsShortcodeNeverAWord() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("lunch at noon"));
        String reactions = "SELECT COUNT(*) FROM reactions WHERE user_uuid = ? AND chat_uuid = ?";

        tmux.keys("Up");
        tmux.bytes("+");
        tmux.awaitText("React (1-8");
        tmux.bytes("hello\r");
        tmux.awaitText("'hello' is not an emoji");
        assertTrue(tmux.screen().contains("React (1-8"), "the dialog stays open with the word: " + tmux.screen());
        for (int i = 0; i < 5; i++) tmux.bytes("\u007f"); // Backspace, as a terminal sends it
        tmux.bytes("tada\r"); // a shortcode without its colons: the prompt asks for nothing but an emoji
        tmux.awaitText("reacted 🎉");
        awaitServer("the shortcode's emoji on the server", 1, reactions + " AND reaction = '🎉'", f.alice.uuid(), team);
        assertEquals(1, f.serverCount(reactions, f.alice.uuid(), team), "only the emoji, never the word");
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
    }
}
