package dev.novyse.tui;

import com.googlecode.lanterna.input.BasicCharacterPattern;
import com.googlecode.lanterna.input.CharacterPattern;
import com.googlecode.lanterna.input.DefaultKeyDecodingProfile;
import com.googlecode.lanterna.input.KeyDecodingProfile;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * The terminal's key decoding: Lanterna 3.1.5's default patterns, corrected where they get keys wrong. (Its decoder
 * keeps the last pattern that matches a sequence whole, so these are listed after the defaults they replace.)
 * <ul>
 *   <li>With {@code icrnl} off while the screen is up, Enter sends CR and C-j sends LF. Lanterna reads LF as Enter
 *       and only CR NUL (telnet's) as Enter, dropping a bare CR together with the key after it. Here CR is Enter
 *       and LF is C-j, so the two can do different things (Enter sends, C-j starts a new line).</li>
 *   <li>Alt+Enter arrives as ESC CR (ESC LF from some terminals and from tmux's {@code send-keys M-Enter}); Lanterna
 *       decodes ESC LF as Ctrl+Alt+'j'. Both are Alt+Enter here.</li>
 *   <li>The start marker of a bracketed paste, which {@link TerminalInput} leaves in the stream after taking the
 *       paste's text out, is one {@link #PASTE} key.</li>
 * </ul>
 */
final class InputPatterns implements KeyDecodingProfile {
    /** The key a bracketed paste arrives as; its text is in {@link TerminalInput#takePaste()}. */
    static final KeyStroke PASTE = new KeyStroke(KeyType.Unknown, true, true, true);

    private static final KeyStroke ALT_ENTER = new KeyStroke(KeyType.Enter, false, true);
    private static final KeyStroke CTRL_J = new KeyStroke('j', true, false);

    private static final KeyStroke ENTER = new KeyStroke(KeyType.Enter);

    @Override
    public Collection<CharacterPattern> getPatterns() {
        List<CharacterPattern> patterns = new ArrayList<>();
        for (CharacterPattern p : new DefaultKeyDecodingProfile().getPatterns()) {
            // CR NUL would keep a bare CR waiting a quarter second for a NUL; LF is C-j here.
            boolean replaced = p instanceof BasicCharacterPattern b
                    && (b.getPattern()[0] == '\r' || Arrays.equals(b.getPattern(), new char[] {'\n'}));
            if (!replaced) patterns.add(p);
        }
        patterns.addAll(List.of(exactly(ENTER, '\r'), exactly(CTRL_J, '\n'), exactly(ALT_ENTER, ESC_CODE, '\r'),
                exactly(ALT_ENTER, ESC_CODE, '\n'), exactly(PASTE, ESC_CODE, '[', '2', '0', '0', '~')));
        return patterns;
    }

    /** A pattern for exactly {@code chars}, partial on any proper prefix of them. */
    private static CharacterPattern exactly(KeyStroke key, char... chars) {
        return seq -> {
            if (seq.size() > chars.length) return null;
            for (int i = 0; i < seq.size(); i++) {
                if (seq.get(i) != chars[i]) return null;
            }
            return seq.size() == chars.length ? new CharacterPattern.Matching(key) : CharacterPattern.Matching.NOT_YET;
        };
    }
}
