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
