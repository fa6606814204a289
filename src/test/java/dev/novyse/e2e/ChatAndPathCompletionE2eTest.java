package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tab completing what is not a word of the message, driven in tmux with the bytes a terminal sends: a chat's name
 * (spaces and all) after {@code /open}, and a path in the attach prompt, {@code ~} being $HOME (the test's folder),
 * folder by folder, cycling through the names that match.
 */
class ChatAndPathCompletionE2eTest {
    private static final byte TAB = 0x09;
    private static final byte CR = 0x0d;
    private static final byte ESC = 0x1b;

    @TempDir
    Path dir;
    ChatScreenFixture f;
    Tmux tmux;
    String team;
    String travel;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        E2e.As bob = new E2e.As(f.api, f.api.signup("bob"));
        team = bob.createChat("GROUP", "Team", null, f.alice.uuid());
        bob.send(team, 0, "hello from Team");
        travel = bob.createChat("GROUP", "Travel plans", null, f.alice.uuid());
        bob.send(travel, 0, "where to?");
        f.login();
        tmux = f.terminal(100, 30);
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitText("● live");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void tabAfterOpenCompletesAChatsNameWithItsSpacesAndEnterOpensIt() throws Exception {
        // Team open first: the screen may have opened Travel plans (the latest) by itself, and a screen that shows
        // it would then prove nothing about the Enter below (it was caught before the Enter was read, under load)
        tmux.bytes("/open Team");
        tmux.bytes(CR);
        tmux.awaitScreen("Team open", s -> s.contains("# Team  group") && s.contains("hello from Team")
                && !s.contains("/open"));
        tmux.bytes("/open Tr");
        tmux.bytes(TAB);
        String completed = tmux.awaitText("/open Travel plans");
        assertFalse(completed.contains("/open Tr\t") || completed.contains("/open Travel plans plans"), completed);
        tmux.bytes(CR);
        // the command leaves the composer as the chat opens (awaited: the Enter is read after the bytes arrive)
        String open = tmux.awaitScreen("Travel plans open, the command gone from the composer",
                s -> s.contains("# Travel plans  group") && s.contains("where to?") && !s.contains("/open"));
        assertFalse(open.contains("hello from Team"), open);
        assertEquals(List.of("where to?"), f.stored(travel), "a command is never sent as a message");
        assertEquals(List.of("hello from Team"), f.stored(team));
    }

    @Test
    void tabInTheAttachPromptCompletesThePathFolderByFolderAndCycles() throws Exception {
        Path files = Files.createDirectories(dir.resolve("files"));
        Files.writeString(files.resolve("readme.md"), "read me\n");
        Files.writeString(files.resolve("report-2026.txt"), "numbers\n");
        Files.writeString(files.resolve("other.txt"), "not offered\n");
        tmux.bytes(ESC, (byte) 'a');
        tmux.awaitText("Attach a file");
        tmux.bytes("~/fil");
        tmux.bytes(TAB);
        tmux.awaitText("~/files/");
        tmux.bytes("re");
        tmux.bytes(TAB);
        tmux.awaitText("~/files/readme.md");
        tmux.bytes(TAB);
        String cycled = tmux.awaitText("~/files/report-2026.txt");
        assertFalse(cycled.contains("other.txt"), "only names starting with 're' are offered:\n" + cycled);
        tmux.bytes(CR);
        // Delivered, not only queued (the outbox row shows the file's line too).
        tmux.awaitScreen("the file sent", s -> s.contains("sent report-2026.txt"));
        String history = f.api.ok(f.api.get("/message/history?chatUUID=" + travel + "&subID=0", f.alice.token())).toString()
                + f.api.ok(f.api.get("/message/history?chatUUID=" + team + "&subID=0", f.alice.token())).toString();
        assertTrue(history.contains("report-2026.txt"), "the server stored the completed path's file: " + history);
        assertFalse(history.contains("readme.md"), history);
    }
}
