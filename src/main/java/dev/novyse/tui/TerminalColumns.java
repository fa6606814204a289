package dev.novyse.tui;

/**
 * Columns for plain terminal output, such as the CLI's text tables: what a terminal advances for a string, grapheme
 * by grapheme ({@link TextWidth#wcwidth}: a CJK character or an emoji takes two columns, a combining mark none).
 * {@code String.format("%-30s")} pads by chars, so a name with wide characters pushed the columns after it.
 */
public final class TerminalColumns {
    private TerminalColumns() {
    }

    /** The columns {@code s} takes on a terminal. */
    public static int of(String s) {
        if (TextWidth.isSimple(s)) return s.length();
        int w = 0;
        for (String cell : TextWidth.cells(s)) w += TextWidth.wcwidth(cell);
        return w;
    }

    /** {@code s} followed by the spaces that make it {@code cols} columns wide (nothing when it is that or wider). */
    public static String padRight(String s, int cols) {
        int w = of(s);
        return w >= cols ? s : s + " ".repeat(cols - w);
    }

    /**
     * {@code s} as one cell of a table {@code cols} columns wide: on one line (a line break, tab or other control
     * character another client let into a name becomes a space, so `| head -1` still reads one row), cut with "…"
     * when longer, padded when shorter.
     */
    public static String cell(String s, int cols) {
        StringBuilder clean = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> clean.appendCodePoint(Character.isISOControl(cp) ? ' ' : cp)); // C0 and C1
        String line = clean.toString();
        if (of(line) <= cols) return padRight(line, cols);
        StringBuilder b = new StringBuilder();
        int w = 0;
        for (String g : TextWidth.cells(line)) {
            int gw = TextWidth.wcwidth(g);
            if (w + gw > cols - 1) break;
            b.append(g);
            w += gw;
        }
        return padRight(b.append('…').toString(), cols);
    }
}
