package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.graphics.TextGraphics;

import java.util.List;

/** Draws graphemes into a Lanterna {@link TextGraphics}, counting columns so wide characters stay aligned. */
final class Canvas {
    private final TextGraphics g;
    final int cols;
    final int rows;

    Canvas(TextGraphics g, int cols, int rows) {
        this.g = g;
        this.cols = cols;
        this.rows = rows;
    }

    /**
     * Writes {@code text} from {@code col} on {@code row}, never past column {@code end} (exclusive): a wide
     * character that would straddle the end is left out. Returns the column after the last one written.
     */
    int put(int col, int row, String text, Theme.Style style, int end) {
        if (row < 0 || row >= rows) return col;
        int limit = Math.min(end, cols);
        int c = col;
        List<String> cells = TextWidth.isSimple(text) ? null : TextWidth.cells(text);
        int n = cells == null ? text.length() : cells.size();
        for (int i = 0; i < n; i++) {
            String s = cells == null ? String.valueOf(text.charAt(i)) : TextWidth.display(cells.get(i));
            if (s.isEmpty()) continue;
            if (s.equals("\n") || s.equals("\t") || s.equals("\r")) s = " ";
            else if (Character.isISOControl(s.charAt(0))) s = "?";
            int w = cells == null ? 1 : TextWidth.width(s);
            if (c + w > limit) break;
            if (c >= 0) g.setCharacter(c, row, TextCharacter.fromString(s, style.fg(), style.bg(), style.sgr())[0]);
            c += w;
        }
        return c;
    }

    /** Spaces in {@code style} from {@code col} to {@code end} (exclusive). */
    void fill(int col, int row, int end, Theme.Style style) {
        if (row < 0 || row >= rows) return;
        TextCharacter blank = TextCharacter.fromCharacter(' ', style.fg(), style.bg(), style.sgr().toArray(new com.googlecode.lanterna.SGR[0]))[0];
        for (int c = Math.max(0, col); c < Math.min(end, cols); c++) g.setCharacter(c, row, blank);
    }
}
