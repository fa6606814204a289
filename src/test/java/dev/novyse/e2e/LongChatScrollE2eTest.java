package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reading a long chat with PageUp and PageDown, in tmux with the bytes a terminal sends: every message is reached
 * once, in order, whether the chat grew by hundreds while the screen was closed (the catch-up brings them after the
 * window was read from the store) or the view jumped far back to a pinned message and reads its way down again.
 */
class LongChatScrollE2eTest {
    private static final byte ESC = 0x1b;
    private static final byte[] PAGE_UP = {ESC, '[', '5', '~'};
    private static final byte[] PAGE_DOWN = {ESC, '[', '6', '~'};
    private static final Pattern NUMBERED = Pattern.compile("│ line (\\d+)\\b");
    private static final int MESSAGES = 300;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    E2e.As bob;
    String chat;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        bob = new E2e.As(f.api, f.api.signup("bob"));
        chat = bob.createChat("GROUP", "Long", null, f.alice.uuid());
        bob.send(chat, 0, "the first words");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private void openTheChatScreen(String showing) throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains(showing));
    }

    /** The screen opens on another chat, with the newest message; then C-k takes alice into Long, as a person does. */
    private void enterLongFromAnotherChat() throws Exception {
        String other = bob.createChat("GROUP", "Other", null, f.alice.uuid());
        E2e.nextMillisecond();
        bob.send(other, 0, "elsewhere");
        openTheChatScreen("elsewhere");
        tmux.keys("C-k");
        tmux.type("Long");
        tmux.keys("Enter");
    }

    private void sendNumbered() {
        for (int i = 1; i <= MESSAGES; i++) bob.send(chat, 0, "line " + i);
    }

    /** The numbers of the "line N" messages on the screen. */
    private static TreeSet<Integer> numbers(String screen) {
        TreeSet<Integer> out = new TreeSet<>();
        Matcher m = NUMBERED.matcher(screen);
        while (m.find()) out.add(Integer.parseInt(m.group(1)));
        return out;
    }

    /** Presses {@code key} until {@code done} holds, collecting every numbered message seen on the way. */
    private TreeSet<Integer> pageUntil(byte[] key, java.util.function.Predicate<String> done, String what) throws Exception {
        String screen = tmux.screen();
        TreeSet<Integer> seen = numbers(screen);
        for (int press = 0; press < 40 && !done.test(screen); press++) {
            String before = screen;
            tmux.bytes(key);
            // A page's worth of scrolling changes what is on the screen (a key pressed while a page of messages is
            // on its way moves once it came), or the end was reached.
            tmux.awaitScreen("the screen after a page key", s -> !s.equals(before) || done.test(s));
            screen = settled();
            seen.addAll(numbers(screen));
        }
        assertTrue(done.test(screen), what + ":\n" + screen);
        return seen;
    }

    /** The screen once two captures a moment apart agree: never a frame half drawn. */
    private String settled() throws Exception {
        String last = tmux.screen();
        for (int i = 0; i < 100; i++) {
            Thread.sleep(50);
            String now = tmux.screen();
            if (now.equals(last)) return now;
            last = now;
        }
        return last;
    }

    private static void assertEveryOne(TreeSet<Integer> seen, int from, int to) {
        TreeSet<Integer> missing = new TreeSet<>();
        for (int i = from; i <= to; i++) if (!seen.contains(i)) missing.add(i);
        assertEquals(new TreeSet<>(), missing, "messages never on the screen on the way");
    }

    /** Alice's read watermark in Long as the server has it. */
    private long aliceReadUpTo() throws Exception {
        return f.serverCount("SELECT COALESCE(MAX(message_id), 0) FROM reads WHERE chat_uuid = ? AND user_uuid = ?",
                chat, f.alice.uuid());
    }

    private void awaitAliceReadUpTo(long id) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && aliceReadUpTo() != id) Thread.sleep(100);
        assertEquals(id, aliceReadUpTo(), "alice's read watermark");
    }

    @Test
    void theChatOpenAtStartThatGrewByHundredsShowsTheFirstOfThemAndIsReadOnlyAtItsEnd() throws Exception {
        openTheChatScreen("the first words");
        awaitAliceReadUpTo(1);
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
        sendNumbered(); // while alice is away: her screen opens on her store's one message, the catch-up brings these
        tmux.keys("C-l");
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        // Not the newest of them, seen by no one and marked read: the first, under the last message she had seen.
        tmux.awaitScreen("Long at the first of the new messages", s -> s.contains("● live") && numbers(s).contains(1)
                && s.contains("the first words") && !numbers(s).contains(MESSAGES));
        settled();
        Thread.sleep(500);
        assertEquals(1, aliceReadUpTo(), "read before any of them was on the screen");
        TreeSet<Integer> seen = pageUntil(PAGE_DOWN, s -> numbers(s).contains(MESSAGES) && !s.contains("newer messages below")
                && !s.contains("more lines"), "PageDown reaches the newest message");
        assertEveryOne(seen, 1, MESSAGES);
        awaitAliceReadUpTo(MESSAGES + 1);
        // And back up to the start: the catch-up's burst did not leave the window saying it holds the start while it
        // had lost it (PageUp stopped short with "the start of this conversation").
        seen = pageUntil(PAGE_UP, s -> s.contains("the start of this conversation"), "PageUp reaches the start");
        String top = tmux.screen();
        assertTrue(top.contains("the first words") && numbers(top).contains(1), top);
        assertEveryOne(seen, 1, MESSAGES - 30);
    }

    @Test
    void aMessageTallerThanThePaneThatComesLiveIsShownFromItsFirstLine() throws Exception {
        openTheChatScreen("the first words");
        awaitAliceReadUpTo(1);
        StringBuilder text = new StringBuilder();
        for (int i = 1; i <= 60; i++) text.append("line ").append(i).append('\n');
        bob.send(chat, 0, text.toString().strip());
        String shown = tmux.awaitScreen("the long message from its first line", s -> numbers(s).contains(1));
        assertTrue(shown.contains("the first words") && !numbers(shown).contains(60) && shown.contains("more lines"), shown);
        settled();
        Thread.sleep(500);
        assertEquals(1, aliceReadUpTo(), "read while its end was below the pane");
        TreeSet<Integer> seen = pageUntil(PAGE_DOWN, s -> numbers(s).contains(60) && !s.contains("more lines"),
                "PageDown reaches its end");
        assertEveryOne(seen, 1, 60);
        awaitAliceReadUpTo(2);
        // A message that fits comes as before: the view follows it.
        bob.send(chat, 0, "a short one");
        tmux.awaitText("a short one");
        awaitAliceReadUpTo(3);
    }

    @Test
    void aViewScrolledUpStaysOnItsLinesWhileMessagesComeBelow() throws Exception {
        sendNumbered();
        openTheChatScreen("line " + MESSAGES);
        awaitAliceReadUpTo(MESSAGES + 1);
        tmux.bytes(PAGE_UP);
        tmux.awaitScreen("a page up", s -> s.contains("more lines") && !numbers(s).contains(MESSAGES));
        String before = settled();
        for (int i = 1; i <= 5; i++) bob.send(chat, 0, "after " + i);
        // They came (Long counts them unread: the view is not at its end); the lines on the screen are the same.
        tmux.awaitScreen("five unread in Long", s -> Pattern.compile("# Long\\s+5\\s").matcher(s).find());
        String after = settled();
        assertEquals(numbers(before), numbers(after), after);
        assertTrue(!after.contains("after 1"), after);
        tmux.bytes(ESC, (byte) 'g'); // M-g: back to the newest
        tmux.awaitScreen("the newest after M-g", s -> s.contains("after 5") && !s.contains("more lines"));
        awaitAliceReadUpTo(MESSAGES + 6);
    }

    @Test
    void aChatWithMoreUnreadThanAPageOpensAtTheFirstUnreadAndIsReadAtItsEnd() throws Exception {
        sendNumbered();
        // Alice had read up to "line 5"; she is in another chat, with the newest message, when she opens Long.
        new E2e.As(f.api, f.alice).ok("POST", "/message/read", java.util.Map.of("chatUUID", chat, "subID", 0,
                "messageID", 6));
        enterLongFromAnotherChat();
        // The new-messages line near the top: "line 4", two messages above it, out of view.
        tmux.awaitScreen("Long at its first unread", s -> s.contains("new messages") && numbers(s).contains(6)
                && !numbers(s).contains(4) && !numbers(s).contains(MESSAGES));
        TreeSet<Integer> seen = pageUntil(PAGE_DOWN, s -> numbers(s).contains(MESSAGES) && !s.contains("newer messages below"),
                "PageDown reaches the newest message");
        assertEveryOne(seen, 6, MESSAGES);
        // Read to its end: the server has alice's watermark at the newest message.
        long newest = MESSAGES + 1;
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline && f.serverCount("SELECT COUNT(*) FROM reads WHERE chat_uuid = ? AND user_uuid = ?"
                + " AND message_id = ?", chat, f.alice.uuid(), newest) == 0) {
            Thread.sleep(100);
        }
        assertEquals(1, f.serverCount("SELECT COUNT(*) FROM reads WHERE chat_uuid = ? AND user_uuid = ? AND message_id = ?",
                chat, f.alice.uuid(), newest));
    }

    @Test
    void theViewsTopLineNamesItsSenderWhenTheirRunBeganAboveIt() throws Exception {
        sendNumbered(); // one run of bob's: his name only on its first line
        new E2e.As(f.api, f.alice).ok("POST", "/message/read", java.util.Map.of("chatUUID", chat, "subID", 0,
                "messageID", 100));
        enterLongFromAnotherChat();
        String s = tmux.awaitScreen("Long at its first unread, in the run", x -> x.contains("new messages")
                && numbers(x).contains(100));
        tmux.bytes(PAGE_DOWN);
        s = tmux.awaitScreen("a page on, all of it bob's run", x -> !x.contains("new messages") && !numbers(x).isEmpty()
                && !numbers(x).contains(100));
        java.util.List<String> rows = s.lines().filter(l -> NUMBERED.matcher(l).find()).toList();
        assertTrue(rows.get(0).matches(".*\\d\\d:\\d\\d +BOB │ line \\d+.*"), "the top line says whose it is:\n" + s);
        assertTrue(rows.stream().skip(1).noneMatch(l -> l.contains("BOB")), "the lines under it do not:\n" + s);
    }

    @Test
    void theAccountsOwnMessagesAreNeverItsFirstUnread() throws Exception {
        // Alice read the first words; then a script of hers posted 250 messages as her, then bob wrote one.
        E2e.As alice = new E2e.As(f.api, f.alice);
        alice.ok("POST", "/message/read", java.util.Map.of("chatUUID", chat, "subID", 0, "messageID", 1));
        for (int i = 1; i <= 250; i++) alice.send(chat, 0, "line " + i);
        bob.send(chat, 0, "bob after the script");
        enterLongFromAnotherChat();
        // Opened at the newest, where bob's message is: not 250 of her own messages back.
        tmux.awaitScreen("bob's message, the chat's newest", s -> s.contains("bob after the script")
                && numbers(s).contains(250) && !s.contains("newer messages below"));
    }

    @Test
    void aReplyQuotesAMessageFarAboveItAndRightGoesThere() throws Exception {
        sendNumbered();
        bob.ok("POST", "/message", java.util.Map.of("chatUUID", chat, "subID", 0, "content", "about that one",
                "replyTos", java.util.List.of(java.util.Map.of("chatUUID", chat, "subID", 0, "messageID", 6))));
        openTheChatScreen("about that one");
        // The message answered is 300 messages up, out of the loaded window: the quote reads it from the store.
        tmux.awaitText("↪ BOB: line 5");
        tmux.keys("Up"); // the newest message, the reply, selected
        tmux.keys("Right");
        tmux.awaitScreen("the message answered in view, newer ones below",
                s -> numbers(s).contains(5) && !s.contains("about that one") && s.contains("newer messages below"));
    }

    @Test
    void afterAJumpToAPinPageDownReadsOnToTheNewestMessage() throws Exception {
        sendNumbered();
        bob.ok("PUT", "/message/pin", java.util.Map.of("chatUUID", chat, "subID", 0, "messageID", 6)); // "line 5"
        openTheChatScreen("line " + MESSAGES);
        tmux.bytes(ESC, (byte) 'p'); // M-p: the pinned messages
        tmux.awaitText("line 5");
        tmux.bytes((byte) 0x0d);
        String jumped = tmux.awaitScreen("the pin in view, the rule saying there is more below", s -> numbers(s).contains(5)
                && !numbers(s).contains(MESSAGES) && s.contains("newer messages below"));
        tmux.keys("Escape");
        TreeSet<Integer> seen = pageUntil(PAGE_DOWN, s -> numbers(s).contains(MESSAGES) && !s.contains("newer messages below"),
                "PageDown reaches the newest message");
        assertEveryOne(seen, numbers(jumped).last(), MESSAGES);
        // Back at the newest, the window follows the chat again: a new message shows.
        bob.send(chat, 0, "one more after the reading");
        tmux.awaitText("one more after the reading");
    }
}
