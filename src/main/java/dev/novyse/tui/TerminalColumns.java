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
}
