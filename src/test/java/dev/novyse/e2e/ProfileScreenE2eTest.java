package dev.novyse.e2e;

import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /profile} in the chat screen, typed in tmux: your own profile and anyone's (by handle, or Enter on a
 * member in {@code /members}), and a field of yours changed on the server; a value the server would refuse is
 * refused on the screen with the CLI's sentence and nothing sent.
 */
class ProfileScreenE2eTest {
    @TempDir
    Path dir;
    ChatScreenFixture f;
    E2e.As bob;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        RawApi.Account alice = f.alice;
        bob = new E2e.As(f.api, f.api.signup("bob"));
        f.api.ok(f.api.patch("/user/profile", bob.who().token(), Map.of("biography", "builds boats")));
        String team = bob.createChat("GROUP", "Team", null, alice.uuid());
        bob.send(team, 0, "hello alice");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private String aliceColumn(String column) throws Exception {
        return (String) f.serverValue("SELECT " + column + " FROM users WHERE uuid = ?", f.alice.uuid());
    }

    private void awaitColumn(String column, String value) throws Exception {
        f.awaitServer(column + " = " + value, () -> Objects.equals(aliceColumn(column), value));
    }

    private void command(String line) throws Exception {
        tmux.type(line);
        tmux.keys("Enter");
    }

    @Test
    void someoneOnlineBeforeTheScreenStartedIsMarkedOnlineInTheMembers() throws Exception {
        // Bob's device connected first: no presence event will tell alice's screen, which connects later.
        try (E2e.Client bobs = new E2e.Client(f.server.url(), bob.who().token(), dir.resolve("bob.db"), 50)) {
            dev.novyse.sync.LiveChannel live = new dev.novyse.sync.LiveChannel(java.net.URI.create(f.server.url()),
                    dev.novyse.sync.TokenProvider.fixed(bob.who().token()), bobs.db, bobs.engine,
                    dev.novyse.sync.LiveChannel.Options.defaults());
            java.util.concurrent.CountDownLatch up = new java.util.concurrent.CountDownLatch(1);
            live.subscribe(e -> {
                if (e instanceof dev.novyse.sync.ChannelEvent.StatusChanged st
                        && st.status() == dev.novyse.sync.LiveChannel.Status.CONNECTED) up.countDown();
            });
            live.start();
            try {
                assertTrue(up.await(30, java.util.concurrent.TimeUnit.SECONDS), "bob's device connected");
                tmux.type(f.launcher() + "; echo exit=$?");
                tmux.keys("Enter");
                tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("hello alice"));
                command("/members");
                tmux.awaitScreen("Bob marked online", x -> x.contains("members (arrows scroll")
                        && x.lines().anyMatch(l -> l.contains("● BOB")));
            } finally {
                live.close();
            }
        }
    }

    @Test
    void profilesAreShownAndYoursIsChanged() throws Exception {
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("the chat screen", s -> s.contains("● live") && s.contains("hello alice"));

        command("/profile @bob");
        // Awaited whole, not read once: a capture can catch the dialog half drawn.
        tmux.awaitScreen("Bob's profile", x -> x.contains("Profile (Esc closes)") && x.contains("BOB (@bob)")
                && x.contains("bio: builds boats"));
        closeDialog();

        command("/profile bio I like tea ☕");
        tmux.awaitText("your bio is now I like tea");
        awaitColumn("biography", "I like tea ☕");
        command("/profile color blue");
        tmux.awaitText("a colour is #RRGGBB");
        assertNull(aliceColumn("color"), "a refused colour is never sent");
        command("/profile");
        tmux.awaitScreen("Alice's own profile", x -> x.contains("Profile (Esc closes)") && x.contains("(@alice)")
                && x.contains("bio: I like tea"));
        closeDialog();

        command("/profile handle alice_w");
        tmux.awaitText("your handle is now @alice_w");
        awaitColumn("username", "alice_w");
        command("/profile surname");
        tmux.awaitText("your surname cleared");

        command("/members");
        tmux.awaitText("members (arrows scroll, Enter: profile");
        tmux.keys("Down"); // alphabetical: ALICE, then BOB
        tmux.keys("Enter");
        tmux.awaitScreen("a member's profile", x -> x.contains("Profile (Esc closes)") && x.contains("bio: builds boats"));
        closeDialog();
    }

    /**
     * Escape, then its effect awaited: an Escape read together with the next key (the input thread starved for a
     * moment) would be Alt and that key.
     */
    private void closeDialog() throws Exception {
        tmux.keys("Escape");
        tmux.awaitScreen("Escape closed the profile", x -> !x.contains("Profile (Esc closes)"));
    }
}
