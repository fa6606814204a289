package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Key bindings: every action has default keys, and {@code keys.<action> = C-x, M-y} lines in the config file
 * replace them. Keys are written as Emacs-style specs: {@code C-} Ctrl, {@code M-} Alt, then a character or a key
 * name ({@code Enter Tab Escape Up Down Left Right PageUp PageDown Home End Delete Backspace F1}…). A spec of two
 * keys with a space between ({@code C-x C-e}, as in Emacs and readline) is a chord: the first key waits for the
 * second. A key bound on its own is never the start of a chord, so {@code keys.quit = C-x} turns off the C-x chords.
 */
final class KeyMap {
    /** What a key does; {@code where} tells the help overlay when it applies. */
    enum Action {
        QUIT("global", "Quit", "C-q", "C-c"),
        SUSPEND("global", "Suspend to the shell ('fg' comes back)", "C-z"),
        HELP("global", "This help", "F1", "M-h"),
        FOCUS_NEXT("global", "Move focus: chat list → messages → composer", "Tab", "F6"),
        FOCUS_PREV("global", "Move focus backwards (completing: the previous one)", "S-Tab"),
        NEXT_CHAT("global", "Next chat in the list", "M-Down", "C-n"),
        PREV_CHAT("global", "Previous chat in the list", "M-Up", "C-p"),
        NEXT_UNREAD("global", "Next chat with unread messages (forum: its sub)", "M-u"),
        SWITCH_CHAT("global", "Open a chat by name (type to filter)", "C-k"),
        SEARCH("global", "Search all chats (offline, full text)", "C-f"),
        PINS("global", "Pinned messages of this chat", "M-p"),
        FAVORITES("global", "Your favourite messages, every chat (type to filter)", "M-s"),
        ATTACH("global", "Attach a file (the typed text is its caption)", "M-a"),
        EXTERNAL_EDITOR("global", "Write the message in $VISUAL or $EDITOR", "C-x C-e"),
        MARK_READ("global", "Mark this chat read (a forum: every sub)", "M-r"),
        SCROLL_UP("global", "Scroll messages up a page (loads older)", "PageUp"),
        SCROLL_DOWN("global", "Scroll messages down a page", "PageDown"),
        LATEST("global", "Back to the newest message", "M-End", "M-g"),
        TOGGLE_LIST("global", "Show or hide the chat list", "M-l"),
        REDRAW("global", "Redraw the screen", "C-l"),
        BARE_VIEW("global", "Bare view: plain text, long links whole (any key back)", "M-v"),
        NEWLINE("composer", "New line in the message", "M-Enter", "C-j"),
        SEND("composer", "Send (or save the edit)", "Enter"),
        COMPLETE("composer", "Complete @member /command :emoji: chat name, path", "Tab"),
        CANCEL("composer", "Cancel reply / edit / dialog", "Escape"),
        SELECT("composer", "Select a message (when the composer is empty)", "Up"),
        // Short: F1 shows the keys of the selected message two to a row (the heading says which message).
        REPLY("messages", "Reply to it", "r"),
        EDIT("messages", "Edit it (yours)", "e"),
        DELETE("messages", "Delete (yours, any as an admin; asks)", "d"),
        REACT("messages", "React to it", "+", "a"),
        PIN("messages", "Pin or unpin (asks first)", "p"),
        SAVE_FILE("messages", "Save its attachment", "s"),
        OPEN_FILE("messages", "Open its file (or $PAGER)", "f"),
        COPY("messages", "Copy its text (OSC 52)", "y"),
        OPEN_LINK("messages", "Open a link in it (which?)", "o"),
        FAVORITE("messages", "Favourite it, or take it back (★)", "*"),
        GO_TO_QUOTED("messages", "Go to the message it replies to", "Right"),
        OPEN("chats", "Open the selected chat (forum: expand its subs)", "Enter", "Right"),
        PIN_CHAT("chats", "Pin the selected chat on top, or unpin it", "p"),
        MUTE_CHAT("chats", "Mute the selected chat, or unmute it", "m");

        final String where;
        final String description;
        final String[] defaults;

        Action(String where, String description, String... defaults) {
            this.where = where;
            this.description = description;
            this.defaults = defaults;
        }

        String configKey() {
            return "keys." + name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    private final Map<Action, List<String>> bindings = new EnumMap<>(Action.class);
    private final Map<String, List<Action>> byKey = new HashMap<>();
    /** The first keys of the chords bound ({@code C-x} of {@code C-x C-e}). */
    private final Set<String> chordStarts = new HashSet<>();

    private KeyMap(Map<String, String> config) {
        for (Action a : Action.values()) {
            String custom = config.get(a.configKey());
            List<String> keys = new ArrayList<>();
            if (custom != null && !custom.isBlank()) {
                for (String k : custom.split(",")) {
                    String spec = normalise(k.strip());
                    if (!spec.isEmpty()) keys.add(spec);
                }
            } else {
                for (String k : a.defaults) keys.add(normalise(k));
            }
            bindings.put(a, List.copyOf(keys));
            for (String k : keys) {
                byKey.computeIfAbsent(k, x -> new ArrayList<>()).add(a);
                if (k.indexOf(' ') > 0) chordStarts.add(k.substring(0, k.indexOf(' ')));
            }
        }
    }

    static KeyMap defaults() {
        return new KeyMap(Map.of());
    }

    /** Bindings from the config's {@code keys.*} entries; a bad spec is refused with the key it came from. */
    static KeyMap from(Map<String, String> config) {
        for (String key : config.keySet()) {
            if (!key.startsWith("keys.")) continue;
            boolean known = false;
            for (Action a : Action.values()) known |= a.configKey().equals(key);
            if (!known) throw new IllegalArgumentException("unknown key binding '" + key + "' in the config file");
        }
        return new KeyMap(config);
    }

    List<String> keysOf(Action a) {
        return bindings.get(a);
    }

    /** Whether {@code k} is bound to {@code a}. */
    boolean is(KeyStroke k, Action a) {
        return is(spec(k), a);
    }

    /** Whether the key or chord written as {@code spec} ({@link #spec(KeyStroke)}, a chord's two joined by a space) is bound to {@code a}. */
    boolean is(String spec, Action a) {
        List<Action> actions = byKey.get(spec);
        return actions != null && actions.contains(a);
    }

    /** Whether {@code k} starts a chord: some binding begins with it and none is the key alone. */
    boolean startsChord(KeyStroke k) {
        String s = spec(k);
        return chordStarts.contains(s) && !byKey.containsKey(s);
    }

    /** The spec of a key press, as written in the config: {@code C-q}, {@code M-Enter}, {@code PageUp}, {@code x}. */
    static String spec(KeyStroke k) {
        StringBuilder b = new StringBuilder();
        if (k.isCtrlDown()) b.append("C-");
        if (k.isAltDown()) b.append("M-");
        if (k.getKeyType() == KeyType.Character) {
            char c = k.getCharacter();
            // Alt-Enter comes as ESC CR, which Lanterna reads as Alt + the character '\r'.
            if (c == '\r' || c == '\n') return b.append("Enter").toString();
            if (c == '\t') return b.append("Tab").toString();
            // Spelled out: a space in a spec separates a chord's two keys.
            if (c == ' ') return b.append("Space").toString();
            b.append(k.isCtrlDown() ? Character.toLowerCase(c) : c);
        } else {
            b.append(name(k.getKeyType()));
        }
        return b.toString();
    }

    private static String name(KeyType t) {
        return switch (t) {
            case ArrowUp -> "Up";
            case ArrowDown -> "Down";
            case ArrowLeft -> "Left";
            case ArrowRight -> "Right";
            case ReverseTab -> "S-Tab";
            default -> t.name();
        };
    }

    /** A spec as the map keeps it; a chord's two keys each normalised, joined by one space. */
    private static String normalise(String spec) {
        String[] keys = spec.strip().split("\\s+");
        if (keys.length == 2 && !keys[0].isEmpty()) return normaliseKey(keys[0]) + " " + normaliseKey(keys[1]);
        if (keys.length > 2) throw new IllegalArgumentException("unknown key '" + spec + "' (a chord is two keys: C-x C-e)");
        return normaliseKey(spec.strip());
    }

    private static String normaliseKey(String spec) {
        String s = spec;
        StringBuilder prefix = new StringBuilder();
        while (s.length() > 2 && (s.startsWith("C-") || s.startsWith("M-") || s.startsWith("c-") || s.startsWith("m-"))) {
            prefix.append(Character.toUpperCase(s.charAt(0))).append('-');
            s = s.substring(2);
        }
        String p = prefix.toString();
        // Ctrl comes before Alt in specs, whatever order the user wrote them in.
        if (p.equals("M-C-")) p = "C-M-";
        if (s.length() == 1) return p + (p.startsWith("C-") ? s.toLowerCase(Locale.ROOT) : s);
        for (KeyType t : KeyType.values()) {
            if (name(t).equalsIgnoreCase(s) || t.name().equalsIgnoreCase(s)) return p + name(t);
        }
        if (s.equalsIgnoreCase("Esc")) return p + "Escape";
        if (s.equalsIgnoreCase("Space")) return p + "Space";
        throw new IllegalArgumentException("unknown key '" + spec + "' (write C-x, M-x, Enter, PageUp, F1…)");
    }
}
