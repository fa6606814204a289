package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BareViewTest {
    @Test
    void hyperlinksOnlyWhereTheTerminalIsKnownToShowThemUnlessTheConfigSays() {
        assertFalse(BareView.hyperlinks(null, Map.of("TERM", "linux", "VTE_VERSION", "7000")));
        assertFalse(BareView.hyperlinks("auto", Map.of("TERM", "xterm-256color")), "unsure: off");
        assertFalse(BareView.hyperlinks(null, Map.of("TERM", "xterm-256color", "VTE_VERSION", "7000", "TMUX", "/tmp/t")),
                "tmux 3.3 drops OSC 8");
        assertTrue(BareView.hyperlinks(null, Map.of("TERM", "xterm-256color", "VTE_VERSION", "7000")));
        assertTrue(BareView.hyperlinks(null, Map.of("TERM", "xterm-256color", "TERM_PROGRAM", "WezTerm")));
        assertTrue(BareView.hyperlinks("on", Map.of("TERM", "screen")));
        assertFalse(BareView.hyperlinks("off", Map.of("TERM", "xterm-kitty")));
    }

    @Test
    void linksAreWrappedInOsc8AroundTheirOwnText() {
        assertEquals("see \033]8;;https://a.org/x\033\\https://a.org/x\033]8;;\033\\.",
                BareView.linked("see https://a.org/x."));
        assertEquals("no link", BareView.linked("no link"));
    }

    @Test
    void theNewestLinesThatFitAsTheTerminalWrapsThem() {
        BareView view = new BareView(ZoneOffset.UTC, false);
        String frame = new String(view.frame(List.of("old", "x".repeat(25), "new"), 10, 5), StandardCharsets.UTF_8);
        // 4 rows for lines: the 25 columns take 3, "new" 1; "old" does not fit.
        assertFalse(frame.contains("old"), frame);
        assertTrue(frame.contains("x".repeat(25) + "\r\nnew\r\n"), frame);
        assertTrue(frame.endsWith("any key returns --\033[0m"), frame);
    }
}
