package dev.novyse.tui;

import java.text.Normalizer;
import java.util.Map;

/**
 * The screen in plain ASCII, for a terminal that cannot draw box lines and emoji (the Linux console, a vt100) or a
 * locale that is not UTF-8 ({@code ascii = on|off|auto}). Every cell drawn goes through {@link #sameWidth} (a
 * border's line as {@code |} and {@code -}, a marker as a letter or sign, an accented letter without its accent), so
 * that no byte above 127 reaches the terminal and the columns stay where they were laid out; the text of messages
 * and reactions goes through {@link #text} first, which shows an emoji as its {@code :shortcode:} from the table
 * Tab completes from.
 */
final class Ascii {
    /** The symbols the screen draws, each as one ASCII character. */
    private static final Map<String, String> SYMBOLS = Map.ofEntries(
            Map.entry("│", "|"), Map.entry("─", "-"), Map.entry("┌", "+"), Map.entry("┐", "+"), Map.entry("└", "`"),
            Map.entry("┘", "+"), Map.entry("├", "+"), Map.entry("┤", "+"), Map.entry("▸", ">"), Map.entry("▾", "v"),
            Map.entry("»", ">"), Map.entry("●", "*"), Map.entry("○", "o"), Map.entry("↻", "~"), Map.entry("…", "."),
            Map.entry("↓", "v"), Map.entry("↑", "^"), Map.entry("↪", ">"), Map.entry("▪", "-"), Map.entry("✓", "+"),
            Map.entry("·", "-"), Map.entry("←", "<"), Map.entry("→", ">"), Map.entry("—", "-"), Map.entry("–", "-"),
            Map.entry("“", "\""), Map.entry("”", "\""), Map.entry("‘", "'"), Map.entry("’", "'"), Map.entry("×", "x"), Map.entry("★", "*"),
            Map.entry("\u00a0", " "));

    private Ascii() {
    }

    /**
     * Whether to draw in ASCII: {@code on} or {@code off} as the config says; {@code auto} (or unset) when TERM is a
     * console that has no such glyphs or the locale ({@code LC_ALL}, else {@code LC_CTYPE}, else {@code LANG}) is not
     * UTF-8.
     */
    static boolean wanted(String setting, Map<String, String> env) {
        if (setting != null && setting.matches(TuiApp.ON)) return true;
        if (setting != null && !setting.equalsIgnoreCase("auto")) return false;
        String term = env.getOrDefault("TERM", "");
        if (term.equals("linux") || term.equals("dumb") || term.startsWith("vt")) return true;
        String locale = "";
        for (String variable : new String[] {"LC_ALL", "LC_CTYPE", "LANG"}) {
            String v = env.get(variable);
            if (v != null && !v.isBlank()) {
                locale = v;
                break;
            }
        }
        return !locale.toLowerCase(java.util.Locale.ROOT).replace("-", "").contains("utf8");
    }

    /** Message text in ASCII: an emoji as {@code :shortcode:}, a symbol as its sign, a letter without its accent. */
    static String text(String s) {
        if (isAscii(s)) return s;
        StringBuilder b = new StringBuilder();
        for (String cell : TextWidth.cells(s)) {
            if (isAscii(cell)) {
                b.append(cell);
                continue;
            }
            String code = Completion.shortcodeOf(cell);
            b.append(code != null ? ":" + code + ":" : letters(cell, Math.max(1, TextWidth.width(cell))));
        }
        return b.toString();
    }

    /** {@code s} in ASCII, each cell as wide as it was ({@code ~} for one that has no ASCII form). */
    static String sameWidth(String s) {
        if (isAscii(s)) return s;
        StringBuilder b = new StringBuilder();
        for (String cell : TextWidth.cells(s)) b.append(isAscii(cell) ? cell : letters(cell, TextWidth.width(cell)));
        return b.toString();
    }

    static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) if (s.charAt(i) > 127) return false;
        return true;
    }

    /** A cell of {@code width} columns as that many ASCII characters. */
    private static String letters(String cell, int width) {
        if (width <= 0) return "";
        String plain = SYMBOLS.get(cell);
        if (plain == null) {
            String stripped = Normalizer.normalize(cell, Normalizer.Form.NFD).replaceAll("\\p{M}", "");
            plain = isAscii(stripped) && !stripped.isEmpty() ? stripped : "~";
        }
        if (plain.length() >= width) return plain.substring(0, width);
        return plain + " ".repeat(width - plain.length());
    }
}
