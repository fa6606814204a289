package dev.novyse.tui;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person types as a reaction: an emoji, or an emoji's shortcode from the table the chat screen completes
 * ({@code :thumbsup:}, {@code thumbsup}, {@code +1}). The protocol takes any non-blank text, so a typo such as
 * {@code thumbsup} without a known meaning would otherwise reach every member as a word under the message.
 */
public final class ReactionInput {
    private static final Pattern ONE_CLUSTER = Pattern.compile("\\X");

    private ReactionInput() {
    }

    /** The emoji {@code typed} stands for, or null when it is neither one emoji nor a known shortcode. */
    public static String emoji(String typed) {
        String t = typed.strip();
        Matcher m = ONE_CLUSTER.matcher(t);
        if (!t.isEmpty() && m.lookingAt() && m.end() == t.length() && isEmoji(t)) return t; // the table not read
        return shortcode(t);
    }

    /**
     * The reaction to take back: the emoji of a known shortcode, else {@code typed} as it is (a reaction other
     * clients added may be any text, and taking it back must still work).
     */
    public static String named(String typed) {
        String t = typed.strip();
        String byCode = shortcode(t);
        return byCode != null ? byCode : t;
    }

    private static String shortcode(String t) {
        String code = t.length() > 2 && t.startsWith(":") && t.endsWith(":") ? t.substring(1, t.length() - 1) : t;
        return code.isEmpty() ? null : Completion.emojiOf(code);
    }

    /** One grapheme with a symbol in it (pictographs, dingbats, flags) or a keycap (1️⃣); letters and digits are not. */
    private static boolean isEmoji(String cluster) {
        for (int i = 0; i < cluster.length(); ) {
            int cp = cluster.codePointAt(i);
            if (Character.getType(cp) == Character.OTHER_SYMBOL || cp == 0x20E3) return true;
            i += Character.charCount(cp);
        }
        return false;
    }
}
