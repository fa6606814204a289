package dev.novyse.store;

/** What a person types to search, as an FTS5 query for {@link LocalDatabase#search}. */
public final class FullTextQuery {
    private FullTextQuery() {
    }

    /**
     * Each word as a quoted prefix term, all of them required: what a person types never reaches FTS5 as syntax
     * ({@code a OR b} looks for the three words), and {@code dep} finds "deploy". "" for no words (it matches none).
     */
    public static String ofWords(String text) {
        StringBuilder b = new StringBuilder();
        for (String w : text.trim().split("\\s+")) {
            if (w.isEmpty()) continue;
            if (b.length() > 0) b.append(' ');
            b.append('"').append(w.replace("\"", "\"\"")).append("\"*");
        }
        return b.toString();
    }
}
