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

    /**
     * The emoji {@code typed} stands for, or null when it is neither one emoji nor a known shortcode. An emoji the
     * shortcode table has comes in the table's form, so that ❤ and ❤️ (with the emoji presentation sign, as most
     * keyboards and the quick reactions give it) are one reaction, not two side by side.
     */
    public static String emoji(String typed) {
        String t = typed.strip();
        Matcher m = ONE_CLUSTER.matcher(t);
        if (!t.isEmpty() && m.lookingAt() && m.end() == t.length() && isEmoji(t)) {
            String code = Completion.shortcodeOf(t);
            return code == null ? t : Completion.emojiOf(code);
        }
        return shortcode(t);
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
