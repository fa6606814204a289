package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line editing every input line shares ({@link Composer#edit}), and how a search query reaches FTS5. */
class LineEditingTest {
    private static KeyStroke ch(char c) {
        return new KeyStroke(c, false, false);
    }

    private static KeyStroke ctrl(char c) {
        return new KeyStroke(c, true, false);
    }

    @Test
    void theComposerWrapsBetweenWordsAndCutsOnlyAWordWiderThanARow() {
        Composer c = new Composer();
        c.set("hello wonderful world");
        Composer.Layout l = c.layout(10);
        assertEquals(java.util.List.of("hello ", "wonderful ", "world"), l.lines());
        assertEquals(2, l.cursorRow());
        assertEquals(5, l.cursorCol());
        c.set("abcdefghijklmnop and 👍👍👍👍👍");
        assertEquals(java.util.List.of("abcdefghij", "klmnop and ", "👍👍👍👍👍", ""), c.layout(10).lines(),
                "a word wider than a row is cut where the row ends; an emoji is two columns (the cursor after it, below)");
        c.set("one two\nthree");
        assertEquals(java.util.List.of("one ", "two", "three"), c.layout(6).lines(), "a new line starts a row anew");
        c.set("abcdefghij klm");
        for (int at = 0; at <= 14; at++) { // the cursor anywhere: the same two rows, the cursor on one of them
            c.edit(new KeyStroke(KeyType.Home));
            for (int k = 0; k < at; k++) c.edit(new KeyStroke(KeyType.ArrowRight));
            l = c.layout(10);
            assertEquals(java.util.List.of("abcdefghij ", "klm"), l.lines(), "cursor at " + at);
            assertEquals(at <= 10 ? 0 : 1, l.cursorRow(), "cursor at " + at);
            assertEquals(at <= 10 ? Math.min(at, 9) : at - 11, l.cursorCol(), "cursor at " + at);
        }
        c.set("word ");
        l = c.layout(5);
        assertEquals(java.util.List.of("word ", ""), l.lines(), "the cursor after a full row starts the next");
        assertEquals(1, l.cursorRow());
        assertEquals(0, l.cursorCol());
    }

    @Test
    void upAndDownMoveByTheRowsDrawnAWrappedLineIncluded() {
        Composer c = new Composer();
        c.set("hello wonderful world\nend"); // the cursor at the end, column 3 of "end"
        c.layout(10); // rows: "hello ", "wonderful ", "world", "end"
        assertTrue(c.lineUp());
        assertEquals("hello wonderful wor".length(), c.cursor(), "column 3 of 'world', a row of the line above");
        assertTrue(c.lineUp());
        assertEquals("hello won".length(), c.cursor(), "column 3 of 'wonderful', a row of the same typed line");
        assertTrue(c.lineUp());
        assertEquals(3, c.cursor());
        assertFalse(c.lineUp(), "the first row: Up is what it is elsewhere");
        c.edit(new KeyStroke(KeyType.ArrowRight));
        c.edit(new KeyStroke(KeyType.ArrowRight)); // column 5
        assertTrue(c.lineDown());
        assertEquals("hello wonde".length(), c.cursor());
        assertTrue(c.lineDown());
        assertEquals("hello wonderful world".length(), c.cursor(), "the end of 'world'");
        assertTrue(c.lineDown());
        assertEquals("hello wonderful world\nend".length(), c.cursor(), "'end' is shorter: its end");
        assertFalse(c.lineDown(), "the last row");
        c.edit(new KeyStroke(KeyType.Home));
        c.lineUp();
        c.lineUp(); // column 0 of "wonderful "
        for (int i = 0; i < 9; i++) c.edit(new KeyStroke(KeyType.ArrowRight));
        assertTrue(c.lineUp());
        assertEquals(5, c.cursor(), "past the end of 'hello ': its last place, on its row (not the next row's start)");
        c.set("word ");
        c.layout(5); // the cursor after the full row is drawn on the next one (see above)
        assertTrue(c.lineUp(), "from the row the cursor is drawn on to the full row above");
        assertEquals(0, c.cursor());
        c.set("abcdefgh\nab\nabcdefgh"); // the cursor at column 8 of the last line
        c.layout(40);
        assertTrue(c.lineUp());
        assertEquals("abcdefgh\nab".length(), c.cursor(), "'ab' is shorter: its end");
        assertTrue(c.lineUp());
        assertEquals(8, c.cursor(), "past the short line, back to the column it came from");
        c.edit(new KeyStroke(KeyType.ArrowLeft));
        assertTrue(c.lineDown());
        assertEquals("abcdefgh\nab".length(), c.cursor());
        assertTrue(c.lineDown());
        assertEquals("abcdefgh\nab\nabcdefg".length(), c.cursor(), "a move in between sets the column anew (7)");
        c.layout(40); // wider: the typed line is one row again
        c.set("hello wonderful world\nend");
        c.edit(new KeyStroke(KeyType.Home));
        assertTrue(c.lineUp());
        assertEquals(0, c.cursor(), "the row above is the whole typed line");
    }

    @Test
    void editsByGraphemeAndReportsWhetherTheTextChanged() {
        Composer c = new Composer();
        for (char x : "hi there".toCharArray()) assertTrue(c.edit(ch(x)));
        c.insert("👍"); // one cell (a surrogate pair): one Backspace
        assertTrue(c.edit(new KeyStroke(KeyType.Backspace)));
        assertEquals("hi there", c.text());
        assertFalse(c.edit(ctrl('a')), "moving the cursor changes no text");
        assertFalse(c.edit(new KeyStroke(KeyType.ArrowRight)));
        assertTrue(c.edit(new KeyStroke(KeyType.Delete)));
        assertEquals("h there", c.text());
        assertFalse(c.edit(new KeyStroke('x', false, true)), "Alt+character is a binding, not text");
        assertFalse(c.edit(ctrl('e')));
        assertTrue(c.edit(ctrl('w')));
        assertEquals("h ", c.text());
        assertTrue(c.edit(ctrl('u')));
        assertTrue(c.isEmpty());
        assertFalse(c.edit(new KeyStroke(KeyType.F5)));
    }

    @Test
    void everySearchWordIsAQuotedPrefixTerm() {
        assertEquals("\"bob\"* \"say\"\"s\"*", dev.novyse.store.FullTextQuery.ofWords("  bob  say\"s "));
        assertEquals("\"a\"* \"OR\"* \"b\"*", dev.novyse.store.FullTextQuery.ofWords("a OR b"));
        assertEquals("", dev.novyse.store.FullTextQuery.ofWords("   "));
        assertEquals("\"deploy\"*", dev.novyse.store.FullTextQuery.ofWords("deploy 👍 !"), "no letter or digit: no term");
    }
}
