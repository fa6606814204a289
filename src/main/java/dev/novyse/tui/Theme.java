package dev.novyse.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TextColor;

import java.util.EnumSet;
import java.util.Locale;

/**
 * Colours and emphasis. Only the 16 ANSI colours are used (any terminal, any palette the user picked); the
 * monochrome theme ({@code NO_COLOR}, {@code theme = mono}, a terminal without colour) carries the same meaning
 * with bold, underline and reverse alone.
 */
record Theme(String name, Style normal, Style dim, Style title, Style selected, Style focusSelected, Style unread,
             Style mention, Style status, Style statusAlert, Style separator, Style newMessages, Style deleted,
             Style quote, Style reaction, Style pending, Style failed, Style border, Style highlight, boolean colourful) {

    /** One cell style. */
    record Style(TextColor fg, TextColor bg, EnumSet<SGR> sgr) {
        static Style of(TextColor fg, TextColor bg, SGR... sgr) {
            EnumSet<SGR> set = EnumSet.noneOf(SGR.class);
            for (SGR s : sgr) set.add(s);
            return new Style(fg, bg, set);
        }

        Style plus(SGR s) {
            EnumSet<SGR> set = EnumSet.copyOf(sgr.isEmpty() ? EnumSet.of(s) : sgr);
            set.add(s);
            return new Style(fg, bg, set);
        }

        Style withFg(TextColor c) {
            return new Style(c, bg, sgr);
        }
    }

    private static final TextColor D = TextColor.ANSI.DEFAULT;
    /** Twelve sender colours from the 16 ANSI ones (the other four are the text, the dim and the alert colours). */
    private static final TextColor[] SENDERS = {TextColor.ANSI.CYAN, TextColor.ANSI.GREEN, TextColor.ANSI.YELLOW,
            TextColor.ANSI.MAGENTA, TextColor.ANSI.BLUE_BRIGHT, TextColor.ANSI.RED_BRIGHT, TextColor.ANSI.CYAN_BRIGHT,
            TextColor.ANSI.GREEN_BRIGHT, TextColor.ANSI.MAGENTA_BRIGHT, TextColor.ANSI.YELLOW_BRIGHT,
            TextColor.ANSI.BLUE, TextColor.ANSI.RED};
    /** Sixteen well-apart colours of the xterm 256-colour cube, where TERM has them. */
    private static final TextColor[] SENDERS_256 = indexed(39, 40, 214, 170, 33, 203, 44, 148, 135, 220, 209, 78,
            111, 177, 172, 37);

    private static TextColor[] indexed(int... colours) {
        TextColor[] out = new TextColor[colours.length];
        for (int i = 0; i < colours.length; i++) out[i] = new TextColor.Indexed(colours[i]);
        return out;
    }

    private static TextColor[] senderPalette = SENDERS;

    static Theme colour() {
        return new Theme("default",
                Style.of(D, D),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D),
                Style.of(D, D, SGR.BOLD),
                Style.of(D, D, SGR.REVERSE),
                Style.of(TextColor.ANSI.BLACK, TextColor.ANSI.CYAN),
                Style.of(D, D, SGR.BOLD),
                Style.of(TextColor.ANSI.RED_BRIGHT, D, SGR.BOLD),
                Style.of(TextColor.ANSI.WHITE, TextColor.ANSI.BLUE),
                Style.of(TextColor.ANSI.WHITE_BRIGHT, TextColor.ANSI.RED),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D),
                Style.of(TextColor.ANSI.RED_BRIGHT, D),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D, SGR.ITALIC),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D),
                Style.of(TextColor.ANSI.YELLOW, D),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D, SGR.ITALIC),
                Style.of(TextColor.ANSI.RED, D, SGR.BOLD),
                Style.of(TextColor.ANSI.BLACK_BRIGHT, D),
                Style.of(TextColor.ANSI.BLACK, TextColor.ANSI.YELLOW),
                true);
    }

    static Theme mono() {
        Style plain = Style.of(D, D);
        return new Theme("mono", plain, plain, Style.of(D, D, SGR.BOLD), Style.of(D, D, SGR.REVERSE),
                Style.of(D, D, SGR.REVERSE, SGR.BOLD), Style.of(D, D, SGR.BOLD), Style.of(D, D, SGR.BOLD, SGR.UNDERLINE),
                Style.of(D, D, SGR.REVERSE), Style.of(D, D, SGR.REVERSE, SGR.BOLD), plain,
                Style.of(D, D, SGR.BOLD), plain, plain, plain, plain, Style.of(D, D, SGR.BOLD), plain,
                Style.of(D, D, SGR.UNDERLINE), false);
    }

    /** What {@code theme = } may say for the monochrome theme; "default" asks for colour. */
    private static final String MONO_NAMES = "mono|monochrome|none";

    /** Whether {@code theme = configured} names a theme ({@link #choose} understands it). */
    static boolean known(String configured) {
        return configured.toLowerCase(Locale.ROOT).matches("default|" + MONO_NAMES);
    }

    /**
     * The theme to use: monochrome when {@code NO_COLOR} is set (no-color.org: any non-empty value), when the
     * configuration asks for it, or when {@code TERM} does not promise colour.
     */
    static Theme choose(String configured, String noColor, String term) {
        if (noColor != null && !noColor.isEmpty()) return mono();
        senderPalette = term != null && term.contains("256") ? SENDERS_256 : SENDERS;
        if (configured != null && configured.toLowerCase(Locale.ROOT).matches(MONO_NAMES)) return mono();
        // terminfo's monochrome variants: xterm-mono, vt100-nav-m (-mono, -m); ...-color and -256color are colour.
        if (term != null && (term.endsWith("-mono") || term.endsWith("-m"))) return mono();
        if (term != null && !term.contains("color") && !term.startsWith("xterm") && !term.startsWith("screen")
                && !term.startsWith("tmux") && !term.startsWith("rxvt") && !term.startsWith("linux")
                && !term.equals("alacritty") && !term.startsWith("foot") && !term.startsWith("wezterm")
                && !term.startsWith("st")) {
            return mono();
        }
        return colour();
    }

    /** The sender's name style: a stable colour per user (the same person looks the same in every chat). */
    Style sender(String userUUID) {
        if (!colourful || userUUID == null) return title;
        TextColor[] palette = senderPalette;
        return Style.of(palette[Math.floorMod(userUUID.hashCode(), palette.length)], D, SGR.BOLD);
    }

    /**
     * Name styles for the people of one chat: each keeps its own colour unless someone else here has it already,
     * then takes the next free one, so that (up to the palette's size) no two people of a chat share a colour.
     * Assigned in the order of the users' ids, so the choice does not change as the chat scrolls.
     */
    java.util.Map<String, Style> senders(java.util.Collection<String> userUUIDs) {
        java.util.Map<String, Style> out = new java.util.HashMap<>();
        TextColor[] palette = senderPalette;
        boolean[] taken = new boolean[palette.length];
        int used = 0;
        for (String u : new java.util.TreeSet<>(userUUIDs)) {
            if (!colourful) {
                out.put(u, title);
                continue;
            }
            int slot = Math.floorMod(u.hashCode(), palette.length);
            while (used < palette.length && taken[slot]) slot = (slot + 1) % palette.length;
            if (!taken[slot]) used++;
            taken[slot] = true;
            out.put(u, Style.of(palette[slot], D, SGR.BOLD));
        }
        return out;
    }
}
