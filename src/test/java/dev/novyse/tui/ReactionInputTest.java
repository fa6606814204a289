package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** A typed reaction is one emoji or a shortcode of the table the composer completes; words are refused. */
class ReactionInputTest {
    @Test
    void oneEmojiIsItself() {
        for (String e : new String[]{"👍", "👍🏽", "👩‍💻", "🇫🇷", "1️⃣", "✅", " 🎉 "}) {
            assertEquals(e.strip(), ReactionInput.emoji(e), e);
        }
    }

    @Test
    void aShortcodeWithOrWithoutColonsIsItsEmoji() {
        assertEquals("👍", ReactionInput.emoji(":thumbsup:"));
        assertEquals("👍", ReactionInput.emoji("+1"));
        assertEquals("👍", ReactionInput.emoji(":ThumbsUp:"));
        assertEquals(Completion.emojiOf("heart"), ReactionInput.emoji(":heart:"));
    }

    @Test
    void wordsLettersDigitsAndSeveralEmojiAreNotAReaction() {
        for (String t : new String[]{"", " ", "hello", "a", "7", "!", "👍👍", "ok👍", ":nosuchcode:", "::", "thumbsup",
                "cool", "cat", "100"}) {
            assertNull(ReactionInput.emoji(t), t);
        }
    }

    @Test
    void anEmojiOfTheTableComesInTheTablesFormSoThatTheSameHeartIsOneReaction() {
        String heart = Completion.emojiOf("heart");
        assertEquals(heart, ReactionInput.emoji("\u2764"), "the bare heart, as some keyboards type it");
        assertEquals(heart, ReactionInput.emoji("\u2764\uFE0F"));
        assertEquals(heart, ReactionInput.emoji(":heart:"));
    }
}
