package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

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

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        E2e.As bob = new E2e.As(f.api, f.api.signup("bob"));
        team = bob.createChat("GROUP", "Team", null, f.alice.uuid());
        bob.send(team, 0, "hello from Team");
        String travel = bob.createChat("GROUP", "Travel plans", null, f.alice.uuid());
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
        tmux.bytes("/open Tr");
        tmux.bytes(TAB);
        tmux.awaitText("/open Travel plans");
        tmux.bytes(CR);
        tmux.awaitScreen("Travel plans open", s -> s.contains("# Travel plans  group") && s.contains("where to?"));
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
        tmux.awaitText("~/files/report-2026.txt");
        tmux.bytes(CR);
        tmux.awaitScreen("the file sent", s -> s.contains("▪ report-2026.txt"));
    }
}
