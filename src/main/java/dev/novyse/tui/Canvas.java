package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.graphics.TextGraphics;

import java.util.HashMap;
import java.util.Map;

/**
 * Draws graphemes into a frame, counting columns so wide characters stay aligned, then hands Lanterna only the rows
 * that differ from the last frame. The renderer repaints every cell each frame; giving all of them to Lanterna cost
 * a {@link TextCharacter} per cell and a double-width check per write, about half of a frame's time (measured by
 * TuiBenchmark). One canvas lives as long as the terminal keeps its size.
 */
final class Canvas {
    /** One cell's character in one style, made once: {@code width} 0 means nothing is drawn. */
    private record Glyph(TextCharacter ch, int width) {
    }

    private static final Glyph NOTHING = new Glyph(null, 0);
    private static final int MAX_GLYPHS = 4096;

    final int cols;
    final int rows;
    /** This frame's cells; null where a wide character on the left covers the cell. */
    private final TextCharacter[][] frame;
    /** What the screen's back buffer holds, row by row, since the last {@link #flush}. */
    private final TextCharacter[][] shown;
    private final Map<Theme.Style, Glyph[]> ascii = new HashMap<>();
    private final Map<Theme.Style, Map<String, Glyph>> others = new HashMap<>();
    private int otherCount;

    /** Every cell drawn in ASCII ({@link Ascii#sameWidth}). */
    private final boolean asciiOnly;

    Canvas(int cols, int rows) {
        this(cols, rows, false);
    }

    Canvas(int cols, int rows, boolean ascii) {
        this.asciiOnly = ascii;
        this.cols = cols;
        this.rows = rows;
        this.frame = new TextCharacter[rows][cols];
        this.shown = new TextCharacter[rows][cols];
    }

    /**
     * Writes {@code text} from {@code col} on {@code row}, never past column {@code end} (exclusive): a wide
     * character that would straddle the end is left out. Returns the column after the last one written.
     */
    int put(int col, int row, String text, Theme.Style style, int end) {
        if (row < 0 || row >= rows) return col;
        int limit = Math.min(end, cols);
        int c = col;
        if (asciiOnly) text = Ascii.sameWidth(text);
        if (TextWidth.isSimple(text)) {
            Glyph[] table = ascii.computeIfAbsent(style, s -> new Glyph[0x300]);
            for (int i = 0; i < text.length(); i++) {
                char ch = text.charAt(i);
                Glyph g = table[ch];
                if (g == null) table[ch] = g = glyph(String.valueOf(ch), style, true);
                if (g.width() == 0) continue;
                if (c + 1 > limit) break;
                if (c >= 0) set(row, c, g);
                c++;
            }
            return c;
        }
        Map<String, Glyph> table = others.computeIfAbsent(style, s -> new HashMap<>());
        for (String cell : text.length() == 1 ? java.util.List.of(text) : TextWidth.cells(text)) {
            Glyph g = table.get(cell);
            if (g == null) {
                if (otherCount >= MAX_GLYPHS) {
                    others.values().forEach(Map::clear); // bounded: a long session sees many emoji and scripts
                    otherCount = 0;
                }
                g = glyph(cell, style, false);
                table.put(cell, g);
                otherCount++;
            }
            if (g.width() == 0) continue;
            if (c + g.width() > limit) break;
            if (c >= 0) set(row, c, g);
            c += g.width();
        }
        return c;
    }

    private void set(int row, int c, Glyph g) {
        TextCharacter[] line = frame[row];
        if (c + 1 < cols) {
            if (g.width() == 2) {
                line[c + 1] = null;
            } else if (line[c + 1] == null && line[c] != null) {
                // Over a wide character: its second cell stays a blank in its style, as Lanterna leaves it.
                line[c + 1] = line[c].withCharacter(' ');
            }
        }
        line[c] = g.ch();
    }

    private static Glyph glyph(String cell, Theme.Style style, boolean simple) {
        String s = simple ? cell : TextWidth.display(cell);
        if (s.isEmpty()) return NOTHING;
        if (s.equals("\n") || s.equals("\t") || s.equals("\r")) s = " ";
        else if (Character.isISOControl(s.charAt(0))) s = "?";
        // A display form is one Lanterna cell of exactly TextWidth.width columns: its own width says it.
        TextCharacter ch = TextCharacter.fromString(s, style.fg(), style.bg(), style.sgr())[0];
        return new Glyph(ch, ch.isDoubleWidth() ? 2 : 1);
    }

    /** Spaces in {@code style} from {@code col} to {@code end} (exclusive). */
    void fill(int col, int row, int end, Theme.Style style) {
        if (row < 0 || row >= rows) return;
        Glyph[] table = ascii.computeIfAbsent(style, s -> new Glyph[0x300]);
        Glyph blank = table[' '];
        if (blank == null) table[' '] = blank = glyph(" ", style, true);
        for (int c = Math.max(0, col); c < Math.min(end, cols); c++) frame[row][c] = blank.ch();
    }

    /**
     * Writes the rows that changed since the last flush to {@code g}, each whole and from the left, so that wide
     * characters and the cells they cover end up as if every cell had been drawn in order.
     */
    void flush(TextGraphics g) {
        for (int r = 0; r < rows; r++) {
            TextCharacter[] now = frame[r];
            TextCharacter[] was = shown[r];
            boolean same = true;
            for (int c = 0; c < cols && same; c++) {
                same = now[c] == was[c] || (now[c] != null && now[c].equals(was[c]));
            }
            if (same) continue;
            for (int c = 0; c < cols; c++) {
                if (now[c] != null) g.setCharacter(c, r, now[c]);
            }
            System.arraycopy(now, 0, was, 0, cols);
        }
    }
}
