package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session the server ended (a logout from elsewhere) shown on the chat screen as what it is, "signed out", in
 * tmux; what was written meanwhile waits in the outbox and reaches the server after the next login.
 */
class SignedOutE2eTest {
    private static final byte CR = 0x0d;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    NovyseServer server;
    RawApi api;
    RawApi.Account bob;
    String team;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        server = f.server;
        api = f.api;
        RawApi.Account alice = f.alice;
        bob = api.signup("bob");
        team = new E2e.As(api, bob).createChat("GROUP", "Team", null, alice.uuid());
        new E2e.As(api, bob).send(team, 0, "good morning from bob");
        login();
        E2e.Run sync = E2e.cli("", "--data-dir", dir.resolve("data").toString(), "sync", "--quiet");
        assertEquals(0, sync.code(), sync.toString());
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private void login() {
        f.login();
    }

    /** Ends the CLI's session on the server, as a logout from another device does. */
    private void logOutElsewhere() throws Exception {
        String token = null;
        try (var files = Files.walk(dir.resolve("data"))) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
                if (!text.contains("sessionSecret")) continue;
                JsonNode creds = Json.mapper().readTree(text);
                token = creds.findValue("token").asText();
            }
        }
        assertTrue(token != null, "the CLI's credentials");
        api.ok(api.post("/logout", token, Map.of()));
    }

    private List<String> stored() {
        return f.stored(team);
    }

    @Test
    void anImportedStoreWithNoSignInIsShownAsSignedOutNotConnectingForever() throws Exception {
        Path archive = dir.resolve("alice.jsonl");
        E2e.Run export = E2e.cli("", "--data-dir", dir.resolve("data").toString(), "export", "--all", "-o", archive.toString());
        assertEquals(0, export.code(), export.toString());
        Path restored = dir.resolve("restored");
        E2e.Run imported = E2e.cli("", "--data-dir", restored.toString(), "import", archive.toString());
        assertEquals(0, imported.code(), imported.toString());
        tmux.type(Tmux.launcher(dir, "--data-dir", restored.toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("signed out", x -> x.contains("signed out — run `novyse login`") && x.contains("good morning from bob"));
        tmux.keys("C-q");
        tmux.awaitText("exit=0");
    }

    @Test
    void aRevokedSessionIsShownAsSignedOutAndTheOutboxIsDeliveredAfterLogin() throws Exception {
        logOutElsewhere();
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        String s = tmux.awaitScreen("signed out", x -> x.contains("signed out — run `novyse login`")
                && x.contains("good morning from bob"));
        // The status bar, after the account label (whose port may well contain "401"): plain words, no HTTP.
        String status = s.lines().reduce((a, b) -> b).orElse("");
        status = status.substring(status.indexOf('│') + 1);
        assertFalse(status.contains("○ offline") || status.contains("SESSION") || status.contains("401"), s);
        tmux.bytes("written while signed out");
        tmux.bytes(CR);
        tmux.awaitText("outbox 1");
        Thread.sleep(500);
        s = tmux.screen();
        assertTrue(s.contains("signed out — run `novyse login`"), "still signed out, no retrying forever:\n" + s);
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertTrue(s.contains("1 message waits in the outbox"), s);
        assertEquals(List.of("good morning from bob"), stored());

        login();
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitText("● live");
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (stored().size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(List.of("good morning from bob", "written while signed out"), stored());
    }

    @Test
    void aScreenSignedOutWhileOpenGoesLiveAgainAfterALoginInAnotherTerminal() throws Exception {
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("live", x -> x.contains("● live") && x.contains("good morning from bob"));
        logOutElsewhere();
        tmux.awaitText("signed out — run `novyse login`");
        tmux.bytes("written while signed out");
        tmux.bytes(CR);
        String s = tmux.awaitText("outbox 1");
        assertTrue(s.contains("waiting for a sign-in (novyse login)"), s);
        assertEquals(List.of("good morning from bob"), stored());
        tmux.keys("Up"); // bob's message selected: a reaction waits for the sign-in too (it was dropped as failed)
        tmux.awaitText("SELECTING a message");
        tmux.bytes("+");
        tmux.awaitText("React (1-8");
        tmux.bytes("1"); // 👍
        tmux.awaitScreen("the reaction queued and shown", x -> x.contains("the reaction is queued") && x.contains("👍 1"));
        tmux.keys("Escape");
        tmux.awaitScreen("writing again", x -> !x.contains("SELECTING a message"));

        login(); // another terminal's `novyse login alice`: the open screen goes on with the new session
        tmux.awaitScreen("live again", x -> x.contains("● live") && !x.contains("run `novyse login`"));
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (stored().size() < 2 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(List.of("good morning from bob", "written while signed out"), stored());
        f.awaitServer("alice's reaction", () -> f.serverCount("SELECT COUNT(*) FROM reactions WHERE chat_uuid = ?"
                + " AND user_uuid = ?", team, f.alice.uuid()) == 1);
        new E2e.As(api, bob).send(team, 0, "bob again after the login");
        tmux.awaitText("bob again after the login");
        tmux.keys("C-q");
        s = tmux.awaitText("exit=0");
        assertFalse(s.contains("waits in the outbox"), s);
    }

    @Test
    void aLogoutInAnotherTerminalWhileTheServerIsAwaySignsTheScreenOut() throws Exception {
        tmux.type(Tmux.launcher(dir, "--data-dir", dir.resolve("data").toString()) + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitScreen("live", x -> x.contains("● live") && x.contains("good morning from bob"));
        f.stopServer();
        tmux.awaitScreen("offline", x -> x.contains("○ offline"));
        E2e.Run logout = E2e.cli("", "--data-dir", dir.resolve("data").toString(), "logout");
        assertEquals(0, logout.code(), logout.toString()); // the server not told: the credentials go anyway
        tmux.awaitText("signed out — run `novyse login`");
        tmux.bytes("typed after the logout");
        tmux.bytes(CR);
        tmux.awaitText("outbox 1");
        f.restartServer();
        // The server back, the screen does not take up the session it was signed out of.
        long until = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < until) {
            String s = tmux.screen();
            assertTrue(s.contains("signed out — run `novyse login`") && !s.contains("● live"), s);
            Thread.sleep(200);
        }
        assertEquals(List.of("good morning from bob"), stored(), "nothing sent with the session signed out of");
        try (var files = Files.walk(dir.resolve("data"))) {
            assertEquals(List.of(), files.filter(p -> p.getFileName().toString().equals("credentials.json")).toList(),
                    "the screen wrote no credentials back");
        }
        tmux.keys("C-q");
        String s = tmux.awaitText("exit=0");
        assertTrue(s.contains("1 message waits in the outbox"), s);
    }
}
