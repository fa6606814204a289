package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;

import java.util.ArrayList;
import java.util.List;

/**
 * Terminal column arithmetic. A "cell" is one grapheme as Lanterna splits it ({@link TextCharacter#fromString}):
 * CJK characters and emoji take two columns, so widths and cuts are counted in columns, never in chars, or wide
 * text would push everything after it out of line.
 */
final class TextWidth {
    private TextWidth() {
    }

    /** The graphemes of {@code s}, control characters (tabs, CR) shown as a space. */
    static List<String> cells(String s) {
        List<String> out = new ArrayList<>(s.length());
        for (TextCharacter c : TextCharacter.fromString(s.replace('\t', ' ').replace('\r', ' '))) {
            out.add(c.getCharacterString());
        }
        return out;
    }

    static int width(String cell) {
        return TextCharacter.fromString(cell)[0].isDoubleWidth() ? 2 : 1;
    }

    static int columns(String s) {
        int w = 0;
        for (TextCharacter c : TextCharacter.fromString(s)) w += c.isDoubleWidth() ? 2 : 1;
        return w;
    }

    /** {@code s} cut to at most {@code cols} columns, ending in '…' when something was cut. */
    static String fit(String s, int cols) {
        if (cols <= 0) return "";
        if (columns(s) <= cols) return s;
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (String cell : cells(s)) {
            int w = width(cell);
            if (used + w > cols - 1) break;
            b.append(cell);
            used += w;
        }
        return b.append('…').toString();
    }

    /**
     * Word-wraps {@code text} to {@code cols} columns: hard line breaks kept, long words split by column, wide
     * characters never split across lines.
     */
    static List<String> wrap(String text, int cols) {
        List<String> out = new ArrayList<>();
        int width = Math.max(1, cols);
        for (String para : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            int used = 0;
            for (String word : para.split("(?<= )")) {
                int ww = columns(word);
                if (used + ww <= width) {
                    line.append(word);
                    used += ww;
                    continue;
                }
                String trimmed = word.stripTrailing();
                if (used > 0 && used + columns(trimmed) <= width) {
                    line.append(trimmed);
                    out.add(line.toString());
                    line.setLength(0);
                    used = 0;
                    continue;
                }
                if (used > 0) {
                    out.add(line.toString().stripTrailing());
                    line.setLength(0);
                    used = 0;
                }
                for (String cell : cells(word)) {
                    int w = width(cell);
                    if (used + w > width) {
                        out.add(line.toString());
                        line.setLength(0);
                        used = 0;
                    }
                    line.append(cell);
                    used += w;
                }
            }
            out.add(line.toString().stripTrailing());
        }
        return out;
    }
}
