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
 * into the composer (out of the outbox), and made admin again, Enter and {@code /retry} deliver both.
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

    /** The rows that say a message was refused, each ending in what can be done about it. */
    private static int refusedRows(String screen) {
        return (int) screen.lines().filter(l -> l.contains("not sent: ") && l.contains("· /retry or /drop")).count();
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
        tmux.awaitText("first try");
        command("second try");
        tmux.awaitText("second try");
        assertEquals(2, outbox(), "both queued while offline");
        bob.ok("DELETE", "/chat/admin", alice); // a member again, which the screen cannot know yet
        network.offline(false);

        String s = tmux.awaitScreen("both refused from the outbox, said", x -> x.contains("● live")
                && refusedRows(x) == 2 && x.contains("read-only") && x.contains("2 messages not sent: "));
        assertEquals(2, outbox(), "refused, not lost");

        command("/retry"); // still a member: refused here, nothing sent again for the server to refuse
        s = tmux.awaitText("only the channel's admins post here");
        assertEquals(2, refusedRows(s), s);

        bob.ok("PUT", "/chat/admin", alice);
        tmux.awaitScreen("News, writable again", x -> x.contains("message News") && !x.contains("read-only"));
        command("/drop");
        // The outbox is read again on the store's thread: the row goes in a frame of its own, after the notice.
        s = tmux.awaitScreen("one refused row left, the other's text in the composer",
                x -> x.contains("the unsent message is back in the composer") && refusedRows(x) == 1);
        assertTrue(s.lines().anyMatch(l -> l.strip().endsWith("│ second try")), "the text to change, in the composer:\n" + s);
        assertEquals(1, outbox(), "the one taken back is out of the outbox");
        tmux.bytes(" again");
        tmux.keys("Enter");
        f.awaitServer("the message taken back, sent as changed", () -> f.stored(news).contains("second try again"));

        command("/retry");
        f.awaitServer("the refused one sent again", () -> f.stored(news).contains("first try"));
        s = tmux.awaitScreen("no refused row left", x -> refusedRows(x) == 0 && x.contains("first try"));
        assertEquals(0, outbox(), "the outbox is empty:\n" + s);
        assertEquals(List.of("the first news", "second try again", "first try"), f.stored(news),
                "each message once, nothing lost");
        command("/retry");
        tmux.awaitText("nothing to retry");
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("waits in the outbox"), s);
    }
}
