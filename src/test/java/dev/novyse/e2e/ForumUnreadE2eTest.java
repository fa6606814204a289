package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Finding what is unread in a forum, in tmux with the keys a terminal sends, checked on the screen and on the
 * server: M-u lands in the sub that has unread messages (not the forum's first sub), each sub shows its own unread
 * and mention counts, and M-r marks every sub of the forum read.
 */
class ForumUnreadE2eTest {
    private static final byte ESC = 0x1b;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    RawApi.Account alice;
    E2e.As bob;
    String forum;
    int alpha;
    int beta;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        alice = f.alice;
        bob = new E2e.As(api, api.signup("bob"));
        E2e.As asAlice = new E2e.As(api, alice);
        String team = asAlice.createChat("GROUP", "Team", null, bob.who().uuid());
        forum = bob.createChat("FORUM", "Forum", null, alice.uuid());
        alpha = bob.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "alpha")).path("id").asInt();
        beta = bob.ok("POST", "/chat/sub/create", Map.of("chatUUID", forum, "name", "beta")).path("id").asInt();
        bob.send(forum, alpha, "news in alpha");
        bob.send(forum, beta, "hey @alice, look at beta");
        bob.send(forum, beta, "more in beta");
        E2e.nextMillisecond();
        asAlice.send(team, 0, "alice's own words"); // newest: Team opens first, with nothing unread
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }


    /** Whether alice's read watermark on the server covers the newest message of a sub. */
    private boolean aliceReadAll(int sub) {
        JsonNode messages = api.ok(api.send("GET", "/message/history?chatUUID=" + forum + "&subID=" + sub + "&limit=100",
                bob.who().token(), (String) null)).path("messages");
        long newest = 0;
        for (JsonNode m : messages) newest = Math.max(newest, m.path("id").asLong());
        for (JsonNode m : messages) {
            if (m.path("id").asLong() != newest) continue;
            for (JsonNode r : m.path("reads")) if (r.path("userUUID").asText().equals(alice.uuid())) return true;
        }
        return false;
    }

    private void awaitRead(int sub) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!aliceReadAll(sub) && System.nanoTime() < deadline) Thread.sleep(50);
        assertTrue(aliceReadAll(sub), "alice's read of sub " + sub + " on the server\n" + tmux.screen());
    }

    /** The chat list's row of a sub, as drawn. */
    private static String row(String screen, String sub) {
        return screen.lines().filter(l -> l.contains("└ " + sub) || l.contains("├ " + sub)).findFirst().orElse("")
                .replaceAll("│.*", "");
    }

    @Test
    void nextUnreadLandsInTheSubThatHasThemAndMarkReadClearsTheWholeForum() throws Exception {
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("alice's own words"));

        tmux.bytes(ESC, (byte) 'u'); // M-u
        String s = tmux.awaitScreen("the forum's sub with unread messages",
                x -> x.contains("/ alpha") && x.contains("news in alpha"));
        s = tmux.awaitScreen("beta's own counts", x -> row(x, "beta").matches(".*@1 +2\\s*"));
        assertTrue(row(s, "general").matches(".*general\\s*"), "general has nothing unread:\n" + s);
        awaitRead(alpha);

        tmux.bytes(ESC, (byte) 'r'); // M-r: the whole forum, beta included
        awaitRead(beta);
        s = tmux.awaitScreen("beta without counts", x -> row(x, "beta").matches(".*beta\\s*"));
        assertTrue(s.contains("/ alpha"), "M-r stays where it is:\n" + s);

        tmux.bytes(ESC, (byte) 'u');
        tmux.awaitText("no unread messages");
    }
}
