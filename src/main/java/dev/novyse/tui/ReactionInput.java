package dev.novyse.tui;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a person types as a reaction: an emoji, or an emoji's shortcode from the table the chat screen completes
 * ({@code :thumbsup:}, and {@code +1} or {@code -1} without colons). The protocol takes any non-blank text, so a word
 * typed by mistake would otherwise reach every member as a word under the message.
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

    /**
     * A shortcode in colons ({@code :thumbsup:}), or +1 / -1 bare: a bare word is not read as one ({@code cool} or
     * {@code cat} would otherwise become 😎 or 🐱 without the person meaning an emoji at all).
     */
    private static String shortcode(String t) {
        boolean colons = t.length() > 2 && t.startsWith(":") && t.endsWith(":");
        String code = colons ? t.substring(1, t.length() - 1) : t;
        if (!colons && !code.equals("+1") && !code.equals("-1")) return null;
        return Completion.emojiOf(code);
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
