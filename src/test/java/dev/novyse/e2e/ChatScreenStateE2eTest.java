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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the chat screen keeps per chat and where its selection stays, driven in tmux with the bytes a terminal sends
 * and checked on the screen and on the server: a draft per chat (across chat switches and a restart), the chat
 * list's cursor following its chat when live activity re-sorts the list, and the outbox count said on quitting.
 */
class ChatScreenStateE2eTest {
    private static final byte CR = 0x0d;
    private static final Pattern HEADER = Pattern.compile("# (Team|Garden|Books|Fresh)  group");

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    E2e.As bob;
    final Map<String, String> chats = new LinkedHashMap<>();
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        RawApi.Account alice = f.alice;
        bob = new E2e.As(api, api.signup("bob"));
        for (String name : List.of("Team", "Garden", "Books")) {
            String uuid = bob.createChat("GROUP", name, null, alice.uuid());
            bob.send(uuid, 0, "hello from " + name);
            chats.put(name, uuid);
        }
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }


    private void openTheChatScreen() throws Exception {
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && HEADER.matcher(s).find());
    }

    /** The open chat's name, from the message pane's header. */
    private String openChat() throws Exception {
        Matcher m = HEADER.matcher(tmux.screen());
        assertTrue(m.find(), tmux.screen());
        return m.group(1);
    }

    private String awaitOpen(String name) throws Exception {
        return tmux.awaitScreen(name + " open", s -> s.contains("# " + name + "  group"));
    }

    /** The chat names in the list's order, top first. */
    private List<String> listOrder() throws Exception {
        return listOrderOf(tmux.screen());
    }

    /** The contents of a chat's messages on the server, oldest first. */
    private List<String> stored(String name) {
        return f.stored(chats.get(name));
    }

    private String awaitStored(String name, int count) throws Exception {
        return f.awaitStored(chats.get(name), count);
    }

    @Test
    void eachChatKeepsItsOwnDraftAcrossSwitchesAndARestart() throws Exception {
        openTheChatScreen();
        String first = openChat();
        tmux.bytes("half a thought");
        tmux.awaitText("half a thought");
        tmux.keys("C-n");
        String second = tmux.awaitScreen("another chat", s -> !s.contains("# " + first + "  group")
                && HEADER.matcher(s).find()).lines().filter(l -> HEADER.matcher(l).find()).findFirst().orElseThrow();
        Matcher sm = HEADER.matcher(second);
        assertTrue(sm.find());
        String other = sm.group(1);
        Thread.sleep(300); // the other chat's (empty) draft has been read
        assertFalse(tmux.screen().contains("half a thought"), "the draft stays with its chat:\n" + tmux.screen());
        tmux.bytes("words for " + other);
        tmux.keys("C-p");
        awaitOpen(first);
        String s = tmux.awaitText("half a thought");
        assertFalse(s.contains("words for " + other), s);
        tmux.bytes(CR);
        assertEquals("half a thought", awaitStored(first, 2), "Enter sends the draft to its own chat");
        assertEquals(1, stored(other).size());

        tmux.keys("C-n");
        awaitOpen(other);
        tmux.awaitText("words for " + other);
        tmux.keys("C-q");
        tmux.awaitText("exit=0");

        openTheChatScreen();
        awaitOpen(other); // the last chat open
        tmux.awaitScreen("the draft back, and said", x -> x.contains("words for " + other)
                && x.contains("your draft from before is in the composer"));
        tmux.bytes(CR);
        assertEquals("words for " + other, awaitStored(other, 2), "a draft kept across a restart is sent as typed");
        assertEquals(2, stored(first).size());
    }

    @Test
    void aReplyAndAnEditUnderWayOutliveASwitchAndTheDraftComesBackAfterTheEdit() throws Exception {
        byte[] shiftTab = {0x1b, '[', 'Z'}; // to the messages: the newest one selected
        openTheChatScreen();
        String first = openChat();
        // A reply half written, then another chat and back: still a reply, sent as one.
        tmux.bytes(shiftTab);
        tmux.awaitText("SELECTING a message");
        tmux.bytes("r");
        tmux.awaitText("reply to BOB: hello from " + first);
        tmux.bytes("my answer");
        tmux.keys("C-n");
        tmux.awaitScreen("another chat", s -> !s.contains("# " + first + "  group") && HEADER.matcher(s).find());
        tmux.keys("C-p");
        awaitOpen(first);
        tmux.awaitScreen("the reply as it was", s -> s.contains("reply to BOB: hello from " + first) && s.contains("my answer"));
        tmux.bytes(CR);
        assertEquals("my answer", awaitStored(first, 2));
        tmux.awaitScreen("the answer with its quote", s -> s.contains("↪ BOB: hello from " + first) && s.contains("my answer"));

        // A draft typed, then an edit of the answer begun and left for another chat: both come back, in turn.
        tmux.bytes("draft words");
        tmux.awaitText("draft words");
        tmux.bytes(shiftTab);
        tmux.awaitText("SELECTING a message");
        tmux.bytes("e");
        tmux.awaitText("editing your message");
        tmux.bytes(" and more");
        tmux.awaitText("my answer and more");
        tmux.keys("C-n");
        tmux.awaitScreen("another chat", s -> !s.contains("# " + first + "  group") && HEADER.matcher(s).find());
        tmux.keys("C-p");
        awaitOpen(first);
        tmux.awaitScreen("the edit as it was", s -> s.contains("editing your message") && s.contains("my answer and more"));
        tmux.bytes(CR);
        tmux.awaitScreen("the draft back in the composer", s -> s.contains("(edited)") && s.contains("draft words"));
        assertEquals("my answer and more", stored(first).get(1), "the edit saved");
        tmux.bytes(CR);
        assertEquals("draft words", awaitStored(first, 3), "the draft sent as typed");
    }

    @Test
    void aDraftOutlivesTheProgramBeingKilledWhileTyping() throws Exception {
        openTheChatScreen();
        String open = openChat();
        tmux.bytes("typed just before the crash");
        tmux.awaitText("typed just before the crash");
        // Kept while typing goes on, not only on a chat switch or a quit: the store has it within a moment.
        awaitStoredDraft("typed just before the crash");
        tmux.killProgram();
        tmux.awaitText("exit=137");
        // What a person does after a crash left the terminal raw: reset it; the screen is then the prompt alone.
        tmux.type("stty sane; tput rmcup; clear");
        tmux.keys("Enter");
        tmux.awaitScreen("a cleared shell", s -> s.strip().equals("ready$"));
        openTheChatScreen();
        awaitOpen(open);
        tmux.awaitText("typed just before the crash");
        tmux.bytes(CR);
        assertEquals("typed just before the crash", awaitStored(open, 2), "the kept draft is sent as typed");
    }

    /** Waits until the client's store keeps {@code text} as a draft (read with a connection of the test's own). */
    private void awaitStoredDraft(String text) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        List<String> drafts = List.of();
        while (System.nanoTime() < deadline) {
            drafts = storedDrafts();
            if (drafts.contains(text)) return;
            Thread.sleep(50);
        }
        throw new AssertionError("the store never kept the draft: " + drafts + "\n" + tmux.screen());
    }

    /** The drafts in alice's store. */
    private List<String> storedDrafts() throws Exception {
        Path store;
        try (var files = Files.walk(dir.resolve("data"))) {
            store = files.filter(p -> p.getFileName().toString().endsWith(".db")).findFirst().orElseThrow();
        }
        List<String> drafts = new ArrayList<>();
        try (var c = java.sql.DriverManager.getConnection("jdbc:sqlite:" + store);
             var rs = c.createStatement().executeQuery("SELECT text FROM draft")) {
            while (rs.next()) drafts.add(rs.getString(1));
        }
        return drafts;
    }

    @Test
    void removedFromTheOpenChatTheScreenMovesToAnotherAndTakesTheDraftAlong() throws Exception {
        openTheChatScreen();
        String first = openChat();
        tmux.bytes("a thought for " + first);
        tmux.awaitText("a thought for " + first);
        awaitStoredDraft("a thought for " + first); // the draft is in the store, as the screen keeps it
        bob.ok("POST", "/chat/kick", Map.of("chatUUID", chats.get(first), "userUUID", f.alice.uuid()));
        String s = tmux.awaitScreen("another chat open, the text along", x -> x.contains("you are no longer in " + first)
                && HEADER.matcher(x).find() && !x.contains("# " + first + "  group") && x.contains("a thought for " + first));
        String other = openChat();
        assertNotEquals(first, other, s);
        assertTrue(s.contains("a thought for " + first), "the composer's text came along:\n" + s);
        assertFalse(listOrder().contains(first), s);
        tmux.bytes(" and more");
        tmux.bytes(CR);
        assertEquals("a thought for " + first + " and more", awaitStored(other, 2),
                "sent where the screen said it would go, nothing queued for the chat left");
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("waits in the outbox"), s);
        assertEquals(List.of(), storedDrafts().stream().filter(d -> !d.isEmpty()).toList(),
                "no draft left behind for the chat left (it would come back if invited again)");
    }

    @Test
    void removedFromAChatThatIsNotOpenItsDraftIsSaidAndPrintedOnQuitting() throws Exception {
        openTheChatScreen();
        String first = openChat();
        tmux.bytes("words for " + first);
        tmux.awaitText("words for " + first);
        tmux.keys("C-n");
        String other = HEADER.matcher(tmux.awaitScreen("another chat", x -> !x.contains("# " + first + "  group")
                && HEADER.matcher(x).find())).results().findFirst().orElseThrow().group(1);
        awaitStoredDraft("words for " + first); // kept on leaving it
        bob.ok("POST", "/chat/kick", Map.of("chatUUID", chats.get(first), "userUUID", f.alice.uuid()));
        String s = tmux.awaitScreen("the draft there said", x -> lastLineOf(x).contains("you are no longer in " + first
                + "; the draft you had there is kept"));
        assertTrue(s.contains("# " + other + "  group"), "the open chat stays:\n" + s);
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertTrue(s.contains("novyse: your draft in " + first + ", a chat you are no longer in:\nwords for " + first), s);
        assertEquals(List.of("words for " + first), storedDrafts().stream().filter(d -> !d.isEmpty()).toList(),
                "kept in the store too: it comes back if invited again");
    }

    private static String lastLineOf(String screen) {
        return screen.lines().reduce((a, b) -> b).orElse("");
    }

    @Test
    void removedFromTheLastChatTheTextWaitsForTheNextChatAndNothingIsQueued() throws Exception {
        openTheChatScreen();
        String open = openChat();
        for (String name : chats.keySet()) {
            if (name.equals(open)) continue;
            bob.ok("POST", "/chat/kick", Map.of("chatUUID", chats.get(name), "userUUID", f.alice.uuid()));
            tmux.awaitScreen(name + " gone from the list", x -> !listOrderOf(x).contains(name) && x.contains("# " + open));
        }
        tmux.bytes("last words");
        tmux.awaitText("last words");
        tmux.bytes((byte) 0x1b, (byte) '[', (byte) 'Z'); // Shift-Tab: a message selected when the chat goes
        tmux.awaitText("SELECTING a message");
        tmux.bytes("+xy"); // and the reaction prompt open on it, half typed
        tmux.awaitText("> xy");
        bob.ok("POST", "/chat/kick", Map.of("chatUUID", chats.get(open), "userUUID", f.alice.uuid()));
        String s = tmux.awaitScreen("no chat left", x -> x.contains("you are no longer in " + open)
                && x.contains("No chat open"));
        assertFalse(s.contains("SELECTING") || s.contains("React ("), "nothing left to select or react to:\n" + s);
        assertTrue(s.contains("last words"), "the text stays in the composer:\n" + s);
        tmux.bytes(CR);
        s = tmux.awaitText("open a chat first");
        assertTrue(s.contains("last words") && !s.contains("outbox"), "nothing queued, the text kept:\n" + s);
        // Quitting now would have no draft to keep it in: it is printed under the prompt. Then the screen again.
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertTrue(s.contains("not sent, no chat was open to keep it as a draft:\nlast words"), s);
        tmux.type(f.launcher() + "; echo again=$?");
        tmux.keys("Enter");
        // With no chat at all, the pane says how to start one.
        tmux.awaitScreen("the screen with no chat", x -> x.contains("● live") && x.contains("No chat open, and no chat yet")
                && x.contains("/dm @handle") && x.contains("/join @handle"));
        tmux.bytes("last words");
        String fresh = bob.createChat("GROUP", "Fresh", null, f.alice.uuid());
        bob.send(fresh, 0, "a fresh start");
        s = tmux.awaitScreen("Fresh opened by itself, the text in it", x -> x.contains("# Fresh  group")
                && x.contains("a fresh start") && x.contains("last words"));
        assertTrue(s.contains("last words"), "the text came into Fresh's composer:\n" + s);
        tmux.bytes(CR);
        assertEquals("last words", f.awaitStored(fresh, 2));
        // The server has it; the screen records the delivery after the reply (until then the outbox holds it).
        tmux.awaitScreen("the outbox empty", x -> !x.lines().reduce((a, b) -> b).orElse("").contains("outbox"));
        tmux.keys("C-q");
        s = tmux.awaitText("again=0");
        assertFalse(s.contains("waits in the outbox"), s);
    }

    @Test
    void theListCursorStaysOnItsChatWhenLiveActivityReSortsTheList() throws Exception {
        openTheChatScreen();
        tmux.awaitScreen("three chats listed", s -> listOrderOf(s).size() == 3);
        List<String> order = listOrder();
        tmux.keys("Tab"); // the chat list
        tmux.keys("Home", "Down"); // the second chat
        String chosen = order.get(1);
        String below = order.get(2);
        // The cursor seen on the chosen row (black on cyan) before the list re-sorts: keys and live events reach
        // the screen by different roads, and a re-sort first would put Down on another chat.
        tmux.awaitStyled("the list's cursor on " + chosen, s -> s.lines()
                .filter(l -> l.contains("# " + chosen)).anyMatch(l -> l.contains("46m")));
        bob.send(chats.get(below), 0, "news that moves " + below + " up");
        tmux.awaitScreen(below + " at the top", s -> listOrderOf(s).get(0).equals(below));
        assertNotEquals(chosen, listOrder().get(1), "the list did re-sort under the cursor");
        tmux.keys("Enter");
        awaitOpen(chosen);
        assertEquals(chosen, openChat(), "Enter opens the chat the cursor was on");
    }

    private List<String> listOrderOf(String screen) {
        List<String> order = new ArrayList<>();
        for (String line : screen.lines().toList()) {
            String list = line.contains("│") ? line.substring(0, line.indexOf('│')) : line;
            for (String name : chats.keySet()) if (list.contains("# " + name)) order.add(name);
        }
        return order;
    }

    @Test
    void quittingWithMessagesInTheOutboxSaysHowManyWait() throws Exception {
        openTheChatScreen();
        f.stopServer();
        tmux.awaitScreen("the connection lost", s -> !s.contains("● live"));
        tmux.bytes("written offline");
        tmux.bytes(CR);
        tmux.awaitText("outbox 1");
        tmux.keys("C-q");
        String s = tmux.awaitText("exit=0");
        assertTrue(s.contains("1 message waits in the outbox"), s);
    }
}
