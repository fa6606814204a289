package dev.novyse.e2e;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A URL longer than the message column, driven in tmux with the bytes a terminal sends: on the screen its rows go on
 * at the message column with the gutter blank, and the bare view (M-v) prints it for the terminal to wrap, so that
 * {@code capture-pane -J} reads it back in one piece; any key returns to the screen.
 */
class LongLinksE2eTest {
    private static final byte ESC = 0x1b;
    /** 110 columns with the chat list hidden: "HH:MM " + a 14-column name + " │ " puts the text at column 23. */
    private static final int TEXT_COL = 23;
    private static final int TEXT_WIDTH = 110 - TEXT_COL;

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
        f.login();
        tmux = f.terminal(110, 30);
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    private static String longUrl() {
        StringBuilder b = new StringBuilder("https://example.org/docs/");
        for (int i = 0; b.length() < 200; i++) b.append("segment").append(i).append(i % 3 == 0 ? "/" : "-");
        return b.append("?q=1&r=two").toString();
    }

    @Test
    void aLongUrlGoesOnAtTheMessageColumnAndTheBareViewPrintsItInOnePiece() throws Exception {
        String url = longUrl();
        tmux.type(f.launcher() + "; echo exit=$?");
        tmux.keys("Enter");
        tmux.awaitText("● live");
        tmux.paste(url);
        tmux.bytes((byte) 0x0d);
        assertEquals(url, f.awaitStored(team, 1), "the server holds the URL as sent");
        tmux.bytes(ESC, (byte) 'l'); // the chat list hidden: the message pane starts at column 0
        // The screen is drawn row by row: awaited until the last row of the URL is there too (a capture taken while
        // the rows were still being written once showed the first pieces only, under load), then read.
        String last = url.substring((url.length() - 1) / TEXT_WIDTH * TEXT_WIDTH);
        String screen = tmux.awaitScreen("the URL's rows", s -> s.contains(url.substring(TEXT_WIDTH, 2 * TEXT_WIDTH))
                && Arrays.stream(s.split("\n")).map(String::stripTrailing).anyMatch(r -> r.endsWith(last)));
        // capture-pane -J keeps the blanks at the end of a row
        List<String> rows = Arrays.stream(screen.split("\n")).map(String::stripTrailing).toList();
        assertTrue(rows.stream().anyMatch(r -> r.endsWith(" │ " + url.substring(0, TEXT_WIDTH))), screen);
        for (int from = TEXT_WIDTH; from < url.length(); from += TEXT_WIDTH) {
            String piece = url.substring(from, Math.min(url.length(), from + TEXT_WIDTH));
            assertTrue(rows.contains(" ".repeat(TEXT_COL) + piece),
                    "a row of the gutter's blanks then the URL's next piece, nothing else: " + piece + "\n" + screen);
        }

        tmux.bytes(ESC, (byte) 'v');
        String bare = tmux.awaitText("bare view: any key returns");
        assertTrue(Arrays.stream(bare.split("\n")).anyMatch(r -> r.stripTrailing().endsWith(": " + url)),
                "capture-pane -J joins the rows the terminal wrapped into the whole URL:\n" + bare);
        assertTrue(!bare.contains("│"), "no borders or gutter in the bare view:\n" + bare);

        tmux.bytes("x");
        tmux.awaitScreen("the screen again", s -> s.contains("● live") && !s.contains("bare view")
                && s.contains(" │ " + url.substring(0, TEXT_WIDTH)));
        tmux.bytes((byte) 0x0d);
        Thread.sleep(500);
        assertEquals(1, f.stored(team).size(), "the key that left the bare view typed nothing, so Enter sent nothing");
    }
}
