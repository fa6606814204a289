package dev.novyse.e2e;

import dev.novyse.server.TcpRelay;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Messages the server refused, in the chat screen (tmux, terminal bytes): an admin of a channel writes while her
 * network is away, is made a member meanwhile, and on reconnecting her two messages are refused from the outbox. The
 * rows say why and what to do; {@code /retry} is refused while she may not post, {@code /drop} takes the newest back
 * into the composer (out of the outbox), and made admin again, Enter and {@code /retry} deliver both, each once.
 */
class UnsentMessagesE2eTest {
    @TempDir
    Path dir;
    ChatScreenFixture f;
    TcpRelay network;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        network = new TcpRelay(List.of(f.server.port()));
        // Signed in through the relay: taking it away is the screen's network going, the server staying up.
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", f.data().toString(), "--server",
                "http://127.0.0.1:" + network.port(), "login", "alice");
        assertEquals(0, login.code(), login.toString());
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
        network.close();
    }

    private long outbox() throws Exception {
        return Projection.scalar(E2e.accountDir(f.data()).resolve("store.db"), "SELECT COUNT(*) FROM pending_message");
    }

    private long attemptsOf(String content) throws Exception {
        return Projection.scalar(E2e.accountDir(f.data()).resolve("store.db"),
                "SELECT COALESCE(MAX(attempts), 0) FROM pending_message WHERE content = '" + content + "'");
    }

    /** The rows that say a message was refused, each ending in what can be done about it. */
    private static int refusedRows(String screen) {
        return (int) screen.lines().filter(l -> l.contains("not sent: ") && l.contains("· /retry")).count();
    }

    private static String lastLine(String screen) {
        return screen.lines().reduce((a, b) -> b).orElse("");
    }

    /** Waits up to 30 s for alice's outbox to hold {@code n} entries (written on the screen's network thread). */
    private void awaitOutbox(long n, String what) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (outbox() != n && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(n, outbox(), what + "\n" + tmux.screen());
    }

    private void command(String line) throws Exception {
        tmux.type(line);
        tmux.keys("Enter");
    }

    @Test
    void refusedMessagesAreRetriedOrTakenBackIntoTheComposer() throws Exception {
        E2e.As bob = new E2e.As(f.api, f.api.signup("bob"));
        String news = bob.createChat("CHANNEL", "News", null, f.alice.uuid());
        Map<String, String> alice = Map.of("chatUUID", news, "userUUID", f.alice.uuid());
        bob.ok("PUT", "/chat/admin", alice);
        bob.send(news, 0, "the first news");
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("News, writable", s -> s.contains("● live") && s.contains("the first news")
                && s.contains("message News"));

        network.offline(true);
        tmux.awaitText("○ offline");
        command("first try");
        awaitOutbox(1, "the first queued while offline"); // queued on the screen's network thread after Enter
        command("second try");
        awaitOutbox(2, "both queued while offline");
        // The second's send tries the first before it (order is kept) and gives up: both attempts over before the
        // network is back, or that send (not the reconnect's flush, which says it on the status bar) meets the refusals.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (attemptsOf("first try") < 2 && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(attemptsOf("first try") >= 2, tmux.screen());
        bob.ok("DELETE", "/chat/admin", alice); // a member again, which the screen cannot know yet
        network.offline(false);

        // Said once on the status bar (it comes with the flush), and on the rows (a frame of their own, after it).
        // (Cut at 110 columns, with the way to read it whole: /log.)
        tmux.awaitScreen("the refusal on the status bar", x -> lastLine(x).contains(
                "2 messages not sent: the server refused it: not allowed in this chat") && lastLine(x).contains("(/log)"));
        String s = tmux.awaitScreen("both refused, the channel read-only again, counted on the status bar",
                x -> x.contains("● live") && refusedRows(x) == 2 && x.contains("read-only") && lastLine(x).contains("2 not sent"));
        assertEquals(2, outbox(), "refused, not lost:\n" + s);

        command("/retry"); // still a member: refused here, nothing sent again for the server to refuse
        s = tmux.awaitScreen("/retry refused on the status bar",
                x -> lastLine(x).contains("only the channel's admins post here"));
        assertEquals(2, refusedRows(s), s);
        assertEquals(List.of("the first news"), f.stored(news), "nothing reached the server");

        bob.ok("PUT", "/chat/admin", alice);
        tmux.awaitScreen("News, writable again", x -> x.contains("message News") && !x.contains("read-only"));
        command("/drop");
        // The text is in the composer at once; the outbox is read again on the store's thread, its row gone after.
        s = tmux.awaitScreen("one refused row left, the other's text in the composer",
                x -> refusedRows(x) == 1 && x.lines().anyMatch(l -> l.strip().endsWith("│ second try")));
        assertTrue(s.contains("· /retry or /drop"), "the one left is now the newest, /drop's:\n" + s);
        awaitOutbox(1, "the one taken back out of the outbox");
        // A command that takes nothing, typed before the text: the text stays (it was thrown away with the command).
        tmux.keys("C-a");
        command("/retry ");
        s = tmux.awaitText("/retry takes nothing after it; the text stays");
        assertTrue(s.lines().anyMatch(l -> l.strip().endsWith("│ /retry second try")), s);
        tmux.keys("C-a", "DC", "DC", "DC", "DC", "DC", "DC", "DC", "C-e");
        tmux.awaitScreen("the command taken out again", x -> x.lines().anyMatch(l -> l.strip().endsWith("│ second try")));
        tmux.bytes(" again");
        tmux.keys("Enter");
        f.awaitServer("the message taken back, sent as changed", () -> f.stored(news).contains("second try again"));

        command("/retry");
        f.awaitServer("the refused one sent again", () -> f.stored(news).contains("first try"));
        awaitOutbox(0, "the outbox emptied (the client records each delivery after the server's reply)");
        s = tmux.awaitScreen("no refused row left", x -> refusedRows(x) == 0 && x.contains("first try"));
        assertEquals(List.of("the first news", "second try again", "first try"), f.stored(news),
                "each message once, nothing lost:\n" + s);
        command("/retry");
        tmux.awaitText("nothing to retry");
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("waits in the outbox"), s);
    }
}
