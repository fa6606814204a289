package dev.novyse.cli;

import dev.novyse.store.ChatPrefs;
import dev.novyse.store.ChatSummary;
import dev.novyse.tui.TerminalColumns;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The CLI's text tables line up by terminal columns, whatever the names hold (wide characters, emoji, marks). */
class TextColumnsTest {
    private static ChatSummary chat(String title, int unread) {
        return new ChatSummary("u-" + title, title == null ? "DM" : "GROUP", title, title, "h", null, null, null, null, false, unread, 0, 0);
    }

    /** The terminal column at which {@code needle} starts in {@code line}. */
    private static int columnOf(String line, String needle) {
        return TerminalColumns.of(line.substring(0, line.indexOf(needle)));
    }

    @Test
    void chatsPutTheUnreadCountInOneColumnForEveryTitle() {
        Instant now = Instant.parse("2026-12-05T12:00:00Z");
        int plain = columnOf(ChatsCommand.textLine(chat("Team", 3), ChatPrefs.NONE, now), "(3)");
        for (String title : new String[]{"東京の友達", "Party 🎉🎉", "Cafe\u0301 crew", "👍🏽 ok",
                "東京の友達と大阪の友達と名古屋の友達と福岡の友達", "line\nbreak", "a\ttab", "a name far longer than thirty columns"}) {
            String line = ChatsCommand.textLine(chat(title, 3), ChatPrefs.NONE, now);
            assertEquals(plain, columnOf(line, "(3)"), line);
            assertEquals(1, line.lines().count(), "one row: " + line);
        }
        String untitled = ChatsCommand.textLine(chat(null, 3), ChatPrefs.NONE, now); // a DM with nobody left in it
        assertEquals(plain, columnOf(untitled, "(3)"), untitled);
        assertTrue(untitled.contains("(unnamed)"), untitled);
    }

    @Test
    void columnsCountWideCharactersTwiceAndMarksNotAtAll() {
        assertEquals(4, TerminalColumns.of("Team"));
        assertEquals(10, TerminalColumns.of("東京の友達"));
        assertEquals(4, TerminalColumns.of("Cafe\u0301"));
        // an emoji and its skin tone: two wide code points, as glibc's wcwidth (and the chat screen) counts them
        assertEquals(4, TerminalColumns.of("👍🏽"));
        assertEquals("東京 ", TerminalColumns.padRight("東京", 5));
        assertEquals("東京の友達", TerminalColumns.padRight("東京の友達", 5));
        assertEquals("東京… ", TerminalColumns.cell("東京の友達", 6), "cut with an ellipsis, never half a character");
        assertEquals("東京の…", TerminalColumns.cell("東京の友達", 7));
        assertEquals("a b  ", TerminalColumns.cell("a\nb", 5));
        assertEquals("a b  ", TerminalColumns.cell("a\u0085b", 5), "a C1 control too");
    }
}
