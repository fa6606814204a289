package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Column widths as the terminal counts them (glibc wcwidth, which tmux uses), and display forms Lanterna lays out
 * at exactly those widths: when the two disagree, a delta refresh leaves stale characters on the screen.
 */
class TextWidthTest {

    @Test
    void tabsGoToTheNextStopOfTheirLineCountingWideCharactersByColumns() {
        assertEquals("if x {\n    y()\n        z()\n}", TextWidth.expandTabs("if x {\n\ty()\n\t\tz()\n}"));
        assertEquals("ab  c   d", TextWidth.expandTabs("ab\tc\td"));
        assertEquals("你好    x", TextWidth.expandTabs("你好\tx"), "two wide characters fill a stop: the tab takes the next");
        assertEquals("no tabs\n", TextWidth.expandTabs("no tabs\n"));
        assertEquals("    \n    ", TextWidth.expandTabs("\t\n\t"));
        assertEquals(List.of("    first", "    second"), TextWidth.wrap(TextWidth.expandTabs("\tfirst\n\tsecond"), 40),
                "indentation survives wrapping");
    }

    @Test
    void widthsFollowWcwidthNotLanternasGuess() {
        assertEquals(1, TextWidth.width("a"));
        assertEquals(1, TextWidth.width("é"));
        assertEquals(2, TextWidth.width("日"));
        assertEquals(2, TextWidth.width("☕"), "U+2615 is East Asian Wide; Lanterna calls it narrow");
        assertEquals(2, TextWidth.width("🎉"));
        assertEquals(1, TextWidth.width("⛰️"), "a text-default emoji with VS16 stays one column in wcwidth and tmux");
        assertEquals(1, TextWidth.width("❤️"));
        assertEquals(2, TextWidth.width("！"));
        assertEquals(0, TextWidth.width("\u200D"), "a lone zero-width joiner takes no column");
        assertEquals(1, TextWidth.width("e\u0301"), "a combining accent adds nothing");
        assertEquals(1, TextWidth.wcwidth("🌧️"), "a text-default pictograph is one column in wcwidth and tmux");
        assertEquals(2, TextWidth.width("🌧️"), "Lanterna insists on two: drawn with a padding space, not as '?'");
        assertEquals("🌧️", TextWidth.display("🌧️"));
        assertEquals(" ", TextWidth.padding("🌧️"));
    }

    @Test
    void everyDisplayFormIsLaidOutByLanternaAtTheSameWidth() {
        String sample = "a☕b⛰️c❤️🎉日本語é👩\u200D💻！e\u0301🌧️✅x";
        for (String cell : TextWidth.cells(sample)) {
            String shown = TextWidth.display(cell);
            int w = TextWidth.width(cell);
            if (w == 0) {
                assertEquals("", shown, "zero-width cells are not drawn: " + cell);
                continue;
            }
            TextCharacter[] t = TextCharacter.fromString(shown);
            assertEquals(1, t.length, "one Lanterna cell for " + cell.codePoints().mapToObj(Integer::toHexString).toList());
            assertEquals(w, t[0].isDoubleWidth() ? 2 : 1, "Lanterna width of the display form of " + cell);
            assertEquals(w, TextWidth.width(shown), "the display form keeps the width");
            assertEquals(w, TextWidth.wcwidth(shown) + TextWidth.padding(shown).length(),
                    "the terminal advances as far as Lanterna assumes: " + cell);
        }
    }

    @Test
    void columnsFitAndWrapCountTheSameColumns() {
        assertEquals(3 + 2 + 1, TextWidth.columns("abc☕⛰️"));
        assertEquals(4, TextWidth.columns("👩\u200D💻"), "a ZWJ sequence is two wide emoji side by side in tmux");
        String fitted = TextWidth.fit("☕☕☕☕", 5);
        assertEquals("☕☕…", fitted);
        assertTrue(TextWidth.columns(fitted) <= 5);
        List<String> lines = TextWidth.wrap("コーヒー ☕ と ケーキ 🍰 をください", 10);
        for (String l : lines) assertTrue(TextWidth.columns(l) <= 10, l + " is wider than 10 columns");
        assertEquals("コーヒー ☕ と ケーキ 🍰 をください", String.join(" ", lines).replace("  ", " "));
    }

    @Test
    void aLongWordIsSplitBetweenUserPerceivedCharactersOnly() {
        String y = "y".repeat(64);
        assertEquals(List.of(y, "👍🏽z"), TextWidth.wrap(y + "👍🏽z", 66), "the skin tone stays with its thumb");
        assertEquals(List.of(y, "👩\u200D💻z"), TextWidth.wrap(y + "👩\u200D💻z", 66), "a ZWJ sequence stays whole");
        assertEquals(List.of(y + "é", "z"), TextWidth.wrap(y + "e\u0301z", 65).stream()
                .map(l -> java.text.Normalizer.normalize(l, java.text.Normalizer.Form.NFC)).toList());
        assertEquals("yy…", TextWidth.fit("yy👍🏽", 5), "no half emoji before the ellipsis");
        String family = "👨\u200D👩\u200D👧\u200D👦\u200D👶"; // ten columns as tmux draws it: wider than a row of 8
        for (String row : TextWidth.wrap(family + " ok", 8)) {
            assertTrue(TextWidth.columns(row) <= 8, row + " is wider than 8 columns");
        }
    }
}
