package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A search hit's row shows the words searched for, not only the message's start. */
class SearchSnippetTest {
    private static final String LONG = "Longer update, sorry for the wall of text. Rollback done, the migration is back."
            + " Pairing with Priya on the raspberry pi this afternoon.";

    @Test
    void aHitFarIntoTheMessageStartsAtTheWordBeforeItWithAnEllipsis() {
        String row = SearchDialog.snippet(LONG, "raspberry pi", 40);
        assertTrue(row.startsWith("…"), row);
        assertTrue(row.substring(0, Math.min(row.length(), 40)).contains("raspberry"), "in sight: " + row);
        assertTrue(row.matches("…[A-Za-z].*"), "from the start of a word: " + row);
    }

    @Test
    void aHitInSightOrNoHitKeepsTheStartAndTheRowIsOneLine() {
        assertEquals("Longer update, sorry", SearchDialog.snippet("Longer update,\n sorry", "update", 40));
        assertEquals(MessageLines.oneLine(LONG), SearchDialog.snippet(LONG, "Longer", 40));
        assertEquals(MessageLines.oneLine(LONG), SearchDialog.snippet(LONG, "absent words", 40));
        assertEquals(MessageLines.oneLine(LONG), SearchDialog.snippet(LONG, null, 40));
        assertTrue(SearchDialog.snippet(LONG, "RASPBERRY", 40).contains("raspberry"), "any case");
    }

    @Test
    void theEarliestOfTheWordsDecidesAndWideTextCountsByColumns() {
        String row = SearchDialog.snippet(LONG, "afternoon migration", 30);
        assertTrue(row.startsWith("…") && row.indexOf("migration") < 30, row);
        String cjk = "日本語の練習をしましょう。".repeat(4) + "目標";
        String hit = SearchDialog.snippet(cjk, "目標", 20);
        assertTrue(TextWidth.columns(hit.substring(0, hit.indexOf("目標") + 2)) <= 20, "the word in the first 20 columns: " + hit);
    }
}
