package dev.novyse.store;

/** What a person types to search, as an FTS5 query for {@link LocalDatabase#search}. */
public final class FullTextQuery {
    private FullTextQuery() {
    }

    /**
     * Each word as a quoted prefix term, all of them required: what a person types never reaches FTS5 as syntax
     * ({@code a OR b} looks for the three words), and {@code dep} finds "deploy". Words of no letter or digit are left
     * out. "" for no words (it matches none).
     */
    public static String ofWords(String text) {
        StringBuilder b = new StringBuilder();
        for (String w : text.trim().split("\\s+")) {
            // A word without a letter or digit (an emoji, punctuation) is no term of the index: FTS5 would drop it and
            // find the other words alone, so "every word required" would not hold for it.
            if (w.codePoints().noneMatch(Character::isLetterOrDigit)) continue;
            if (b.length() > 0) b.append(' ');
            b.append('"').append(w.replace("\"", "\"\"")).append("\"*");
        }
        return b.toString();
    }
}
