package dev.novyse.tui;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text as people see it: user-perceived characters (extended grapheme clusters), the unit the composer's cursor
 * moves and deletes by. Java 17's {@code \X} keeps ZWJ families, flags and skin tones whole, where
 * {@code BreakIterator} and Lanterna's {@code TextCharacter.fromString} split them.
 */
final class Graphemes {
    private Graphemes() {}

    private static final Pattern CLUSTER = Pattern.compile("\\X");

    static List<String> split(String s) {
        List<String> out = new ArrayList<>(s.length());
        Matcher m = CLUSTER.matcher(s);
        while (m.find()) out.add(m.group());
        return out;
    }

    /**
     * Inserts {@code s} at {@code cursor} in {@code clusters} and returns the new cursor. The whole text is split
     * again (a message is short; this is microseconds), so the two halves of a surrogate pair that arrive as two
     * keys become one emoji, and the code points of a ZWJ family or a skin tone typed one by one join into one.
     */
    static int insert(List<String> clusters, int cursor, String s) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < cursor; i++) text.append(clusters.get(i));
        text.append(s);
        int end = text.length(); // the inserted text ends here
        for (int i = cursor; i < clusters.size(); i++) text.append(clusters.get(i));
        List<String> again = split(text.toString());
        clusters.clear();
        clusters.addAll(again);
        // The cursor goes after the cluster that holds the last inserted char.
        int length = 0;
        int at = 0;
        while (at < again.size() && length < end) length += again.get(at++).length();
        return at;
    }

    /** {@code s} without unpaired surrogates, which no store or server can take (they would become '?'). */
    static String withoutLoneSurrogates(String s) {
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean paired = Character.isHighSurrogate(c) ? i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))
                    : !Character.isLowSurrogate(c) || i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
            if (!paired && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null && paired) b.append(c);
        }
        return b == null ? s : b.toString();
    }
}
