package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GraphemesTest {
    /** Types {@code s} one UTF-16 unit per key, as Lanterna delivers it, and returns the clusters and the cursor. */
    private static int typeCharByChar(List<String> clusters, int cursor, String s) {
        for (char c : s.toCharArray()) cursor = Graphemes.insert(clusters, cursor, String.valueOf(c));
        return cursor;
    }

    @Test
    void surrogateHalvesTypedAsTwoKeysBecomeOneEmoji() {
        List<String> c = new ArrayList<>();
        int cursor = typeCharByChar(c, 0, "a🎉");
        assertEquals(List.of("a", "🎉"), c);
        assertEquals(2, cursor);
    }

    @Test
    void familiesFlagsAndSkinTonesStayWholeWhenTypedUnitByUnit() {
        List<String> c = new ArrayList<>();
        int cursor = typeCharByChar(c, 0, "👨‍👩‍👧‍👦🇩🇪👍🏽x");
        assertEquals(List.of("👨‍👩‍👧‍👦", "🇩🇪", "👍🏽", "x"), c);
        assertEquals(4, cursor);
    }

    @Test
    void anInsertBetweenAnEmojiAndTextLandsBetweenThem() {
        List<String> c = new ArrayList<>(Graphemes.split("split😀"));
        int cursor = Graphemes.insert(c, 5, "Y"); // split|😀
        assertEquals("splitY😀", String.join("", c));
        assertEquals(6, cursor);
        cursor = typeCharByChar(c, cursor, "🎉");
        assertEquals(List.of("s", "p", "l", "i", "t", "Y", "🎉", "😀"), c);
        assertEquals(7, cursor);
    }

    @Test
    void loneSurrogatesAreDroppedPairsKept() {
        assertEquals("a🎉b", Graphemes.withoutLoneSurrogates("a🎉b"));
        assertEquals("ab", Graphemes.withoutLoneSurrogates("a\uD83Cb"));
        assertEquals("ab", Graphemes.withoutLoneSurrogates("a\uDF89b"));
        assertEquals("🎉", Graphemes.withoutLoneSurrogates("\uDF89🎉\uD83C"));
    }
}
