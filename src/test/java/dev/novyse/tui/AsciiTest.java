package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsciiTest {
    @Test
    void autoMeansAConsoleOrALocaleWithoutUtf8() {
        assertTrue(Ascii.wanted(null, Map.of("TERM", "linux", "LANG", "en_US.UTF-8")));
        assertTrue(Ascii.wanted("auto", Map.of("TERM", "xterm", "LANG", "C")));
        assertTrue(Ascii.wanted(null, Map.of("TERM", "xterm", "LC_ALL", "POSIX", "LANG", "en_US.UTF-8")), "LC_ALL first");
        assertFalse(Ascii.wanted(null, Map.of("TERM", "xterm-256color", "LC_CTYPE", "de_DE.utf8")));
        assertFalse(Ascii.wanted("off", Map.of("TERM", "linux")));
        assertTrue(Ascii.wanted("on", Map.of("TERM", "xterm", "LANG", "C.UTF-8")));
    }

    @Test
    void emojiAsShortcodesSymbolsAsSignsAccentsDropped() {
        assertEquals("party :tada: at the cafe :heart:", Ascii.text("party 🎉 at the café ❤️"));
        assertEquals("|-> ", Ascii.sameWidth("│─▸🎉").substring(0, 3) + " ");
        assertEquals("|->~ ", Ascii.sameWidth("│─▸🎉"), "each cell as wide as it was: the emoji two columns");
        assertTrue(Ascii.isAscii(Ascii.text("日本語 ok")), "no byte above 127, whatever the text");
        // Control characters pass through as they are (the lines are split, a BEL shown as '?', later on).
        assertEquals("cafe\nsecond :tada:\u0007 line~", Ascii.text("café\nsecond 🎉\u0007 line\u0085"));
    }
}
