package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chat screen on a terminal that cannot draw box lines or emoji, in tmux: started with {@code LANG=C} and
 * {@code TERM=linux} it puts no byte above 127 on the screen, and a message's emoji shows as its {@code :shortcode:}.
 */
class AsciiScreenE2eTest {
    @TempDir
    Path dir;
    ChatScreenFixture f;
    Tmux tmux;

    @BeforeEach
    void start() throws Exception {
        f = new ChatScreenFixture(dir);
        E2e.As bob = new E2e.As(f.api, f.api.signup("bob"));
        String team = bob.createChat("GROUP", "Team", null, f.alice.uuid());
        bob.send(team, 0, "party 🎉 time at the café");
        // Lines of a message with more than ASCII in them: the screen failed to start on one (Lanterna refuses a
        // line break in a cell).
        bob.send(team, 0, "crème brûlée\nsecond line");
        f.login();
        tmux = f.terminal(100, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void aConsoleWithoutUtf8GetsOnlyAsciiAndEmojiAsShortcodes() throws Exception {
        tmux.type("LANG=C LC_ALL= TERM=linux " + f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        String screen = tmux.awaitScreen("the message", s -> s.contains("* live") && s.contains("party :tada: time"));
        assertTrue(screen.contains("at the cafe"), screen);
        screen = tmux.awaitScreen("the message of two lines", s -> s.contains("creme brulee") && s.contains("second line"));
        assertTrue(!screen.contains("exit="), screen);
        String nonAscii = screen.codePoints().filter(c -> c > 127)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        assertEquals("", nonAscii, "nothing but ASCII on the screen:\n" + screen);
    }
}
