package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;

/**
 * Terminal column arithmetic. A "cell" is one grapheme as Lanterna splits it ({@link TextCharacter#fromString}).
 * Its width is what glibc's wcwidth, tmux and most terminals give it (East Asian Wide and Fullwidth code points and
 * emoji take two columns, combining marks, joiners and variation selectors none), not Lanterna's own guess, which
 * differs for some emoji (Lanterna says ☕ is narrow and ⛰️ wide; tmux says the opposite). When they differ,
 * {@link #display} hands Lanterna an equivalent form it lays out at the same width, so the screen Lanterna thinks
 * it drew is the one the terminal shows; otherwise a delta refresh leaves stale characters behind.
 */
final class TextWidth {
    private TextWidth() {
    }

    /** Wide (W) and Fullwidth (F) ranges of Unicode 14's EastAsianWidth.txt, as glibc 2.36 uses them. */
    private static final int[] WIDE = {
            0x1100, 0x115F, 0x231A, 0x231B, 0x2329, 0x232A, 0x23E9, 0x23EC, 0x23F0, 0x23F0, 0x23F3, 0x23F3,
            0x25FD, 0x25FE, 0x2614, 0x2615, 0x2648, 0x2653, 0x267F, 0x267F, 0x2693, 0x2693, 0x26A1, 0x26A1,
            0x26AA, 0x26AB, 0x26BD, 0x26BE, 0x26C4, 0x26C5, 0x26CE, 0x26CE, 0x26D4, 0x26D4, 0x26EA, 0x26EA,
            0x26F2, 0x26F3, 0x26F5, 0x26F5, 0x26FA, 0x26FA, 0x26FD, 0x26FD, 0x2705, 0x2705, 0x270A, 0x270B,
            0x2728, 0x2728, 0x274C, 0x274C, 0x274E, 0x274E, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797,
            0x27B0, 0x27B0, 0x27BF, 0x27BF, 0x2B1B, 0x2B1C, 0x2B50, 0x2B50, 0x2B55, 0x2B55, 0x2E80, 0x303E,
            0x3041, 0x3247, 0x3250, 0x4DBF, 0x4E00, 0xA4C6, 0xA960, 0xA97C, 0xAC00, 0xD7A3, 0xF900, 0xFAD9,
            0xFE10, 0xFE19, 0xFE30, 0xFE6B, 0xFF01, 0xFF60, 0xFFE0, 0xFFE6, 0x16FE0, 0x1B2FB, 0x1F004, 0x1F004,
            0x1F0CF, 0x1F0CF, 0x1F18E, 0x1F18E, 0x1F191, 0x1F19A, 0x1F200, 0x1F320, 0x1F32D, 0x1F335,
            0x1F337, 0x1F37C, 0x1F37E, 0x1F393, 0x1F3A0, 0x1F3CA, 0x1F3CF, 0x1F3D3, 0x1F3E0, 0x1F3F0,
            0x1F3F4, 0x1F3F4, 0x1F3F8, 0x1F43E, 0x1F440, 0x1F440, 0x1F442, 0x1F4FC, 0x1F4FF, 0x1F53D,
            0x1F54B, 0x1F54E, 0x1F550, 0x1F567, 0x1F57A, 0x1F57A, 0x1F595, 0x1F596, 0x1F5A4, 0x1F5A4,
            0x1F5FB, 0x1F64F, 0x1F680, 0x1F6C5, 0x1F6CC, 0x1F6CC, 0x1F6D0, 0x1F6D2, 0x1F6D5, 0x1F6DF,
            0x1F6EB, 0x1F6EC, 0x1F6F4, 0x1F6FC, 0x1F7E0, 0x1F7F0, 0x1F90C, 0x1F93A, 0x1F93C, 0x1F945,
            0x1F947, 0x1F9FF, 0x1FA70, 0x1FAF6, 0x20000, 0x3FFFD};

    private static final String VS16 = "\uFE0F";

    /**
     * The graphemes of {@code s} as typed (the composer edits these), tabs and CR shown as a space; any other control
     * character (a message's line break, a BEL in someone's text) is a cell of its own, which Lanterna would refuse.
     */
    static List<String> cells(String s) {
        List<String> out = new ArrayList<>(s.length());
        int start = 0;
        for (int i = 0; i <= s.length(); i++) {
            boolean end = i == s.length();
            char ch = end ? 0 : s.charAt(i);
            if (!end && !Character.isISOControl(ch)) continue;
            if (i > start) {
                for (TextCharacter c : TextCharacter.fromString(s.substring(start, i))) out.add(c.getCharacterString());
            }
            if (!end) out.add(ch == '\t' || ch == '\r' ? " " : String.valueOf(ch));
            start = i + 1;
        }
        return out;
    }

    /** Columns one code point takes: 0, 1 or 2. */
    static int codePointWidth(int cp) {
        if (cp < 0x300) return 1;
        int type = Character.getType(cp);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || (cp >= 0x1160 && cp <= 0x11FF) || cp == 0x200B) {
            return 0;
        }
        int lo = 0;
        int hi = WIDE.length / 2 - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (cp < WIDE[2 * mid]) hi = mid - 1;
            else if (cp > WIDE[2 * mid + 1]) lo = mid + 1;
            else return 2;
        }
        return 1;
    }

    /** Columns a grapheme takes on the screen: those of its display form (0, 1 or 2). */
    static int width(String cell) {
        if (cell.length() == 1 && cell.charAt(0) < 0x300) return 1;
        String shown = display(cell);
        return shown.isEmpty() ? 0 : lanternaWidth(shown);
    }

    /** Columns the terminal gives a grapheme: its widest code point (a mark or joiner adds nothing). */
    static int wcwidth(String cell) {
        if (cell.length() == 1 && cell.charAt(0) < 0x300) return 1;
        int w = 0;
        for (int i = 0; i < cell.length(); ) {
            int cp = cell.codePointAt(i);
            w = Math.max(w, codePointWidth(cp));
            i += Character.charCount(cp);
        }
        return w;
    }

    /**
     * {@code cell} in a form Lanterna lays out at {@link #width} columns: itself when they agree; a wide character
     * Lanterna thinks narrow gets a presentation selector (Lanterna counts those wide, terminals add nothing); a
     * narrow one Lanterna thinks wide loses its selector, or, when Lanterna still counts it wide (a pictograph
     * like 🌧), stays as it is and takes two columns: {@link #padding} then adds the column the terminal would not
     * advance. "" for a zero-width cell (a lone joiner).
     */
    static String display(String cell) {
        int w = wcwidth(cell);
        if (w == 0) return "";
        if (cell.length() == 1 && cell.charAt(0) < 0x300) return cell;
        if (lanternaWidth(cell) == w) return cell;
        if (w == 2) {
            String selected = cell + VS16;
            return lanternaWidth(selected) == 2 ? selected : "\uFF1F";
        }
        // Narrower forms first: without the selector, composed (e + U+0301 is é), the base character alone.
        String bare = cell.replace(VS16, "");
        for (String narrower : new String[]{bare, Normalizer.normalize(bare, Normalizer.Form.NFC),
                bare.isEmpty() ? "" : new String(Character.toChars(bare.codePointAt(0)))}) {
            if (!narrower.isEmpty() && lanternaWidth(narrower) == 1) return narrower;
        }
        return cell;
    }

    /**
     * What the terminal must be sent after {@code shown} (a display form) so that it advances as far as Lanterna
     * assumed: a space after a grapheme Lanterna counts wide and the terminal narrow, else "".
     */
    static String padding(String shown) {
        if (shown.length() == 1 && shown.charAt(0) < 0x300) return "";
        return wcwidth(shown) == 1 && lanternaWidth(shown) == 2 ? " " : "";
    }

    /** Only code points below the combining marks: one column per char, no grapheme work needed. */
    static boolean isSimple(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x300) return false;
        }
        return true;
    }

    private static int lanternaWidth(String cell) {
        TextCharacter[] t = TextCharacter.fromString(cell);
        return t.length == 1 && t[0].isDoubleWidth() ? 2 : 1;
    }

    static int columns(String s) {
        if (isSimple(s)) return s.length();
        int w = 0;
        for (String cell : cells(s)) w += width(cell);
        return w;
    }

    /** Columns between tab stops in a message's text. */
    static final int TAB = 4;

    /**
     * {@code text} with each tab as the spaces up to the next stop of its line, so pasted code keeps its indentation
     * and its columns (a tab is otherwise one cell, drawn as one space).
     */
    static String expandTabs(String text) {
        if (text.indexOf('\t') < 0) return text;
        StringBuilder b = new StringBuilder(text.length() + 16);
        for (String line : text.split("\n", -1)) {
            int col = 0;
            int from = 0;
            for (int tab = line.indexOf('\t'); tab >= 0; tab = line.indexOf('\t', from)) {
                String run = line.substring(from, tab);
                col += columns(run);
                b.append(run).append(" ".repeat(TAB - col % TAB));
                col += TAB - col % TAB;
                from = tab + 1;
            }
            b.append(line, from, line.length()).append('\n');
        }
        return b.substring(0, b.length() - 1);
    }

    /** {@code s} cut to at most {@code cols} columns, ending in '…' when something was cut. */
    static String fit(String s, int cols) {
        if (cols <= 0) return "";
        if (columns(s) <= cols) return s;
        StringBuilder b = new StringBuilder();
        int used = 0;
        for (String cluster : Graphemes.split(s)) { // never half a skin-toned or joined emoji before the '…'
            int w = columns(cluster);
            if (used + w > cols - 1) break;
            b.append(cluster);
            used += w;
        }
        return b.append('…').toString();
    }

    /** One wrapped row; {@code continuesWord}: it goes on with a word too long for a row that the row before began. */
    record Row(String text, boolean continuesWord) {
    }

    /**
     * Word-wraps {@code text} to {@code cols} columns: hard line breaks kept, long words split by column, wide
     * characters never split across lines.
     */
    static List<String> wrap(String text, int cols) {
        return wrapRows(text, cols).stream().map(Row::text).toList();
    }

    /** As {@link #wrap}, each row saying whether it continues a word split by column (a long URL's second row). */
    static List<Row> wrapRows(String text, int cols) {
        List<Row> out = new ArrayList<>();
        int width = Math.max(1, cols);
        for (String para : text.split("\n", -1)) {
            StringBuilder line = new StringBuilder();
            boolean continues = false;
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
                    out.add(new Row(line.toString(), continues));
                    line.setLength(0);
                    continues = false;
                    used = 0;
                    continue;
                }
                if (used > 0) {
                    out.add(new Row(line.toString().stripTrailing(), continues));
                    line.setLength(0);
                    continues = false;
                    used = 0;
                }
                // By user-perceived character, not by Lanterna's cells: a skin tone or a ZWJ family stays on one row,
                // unless it is wider than a row itself (a family of five is ten columns), which goes by cells.
                for (String cluster : Graphemes.split(word)) {
                    for (String part : columns(cluster) > width ? cells(cluster) : List.of(cluster)) {
                        int w = columns(part);
                        if (used + w > width && used > 0) {
                            out.add(new Row(line.toString(), continues));
                            line.setLength(0);
                            continues = true;
                            used = 0;
                        }
                        line.append(part);
                        used += w;
                    }
                }
            }
            out.add(new Row(line.toString().stripTrailing(), continues));
        }
        return out;
    }
}
