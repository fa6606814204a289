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
    private static final TextColor[] SENDERS = {TextColor.ANSI.CYAN, TextColor.ANSI.GREEN, TextColor.ANSI.YELLOW,
            TextColor.ANSI.MAGENTA, TextColor.ANSI.BLUE_BRIGHT, TextColor.ANSI.RED_BRIGHT, TextColor.ANSI.CYAN_BRIGHT,
            TextColor.ANSI.GREEN_BRIGHT, TextColor.ANSI.MAGENTA_BRIGHT, TextColor.ANSI.YELLOW_BRIGHT};

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

    /**
     * The theme to use: monochrome when {@code NO_COLOR} is set (no-color.org: any non-empty value), when the
     * configuration asks for it, or when {@code TERM} does not promise colour.
     */
    static Theme choose(String configured, String noColor, String term) {
        if (noColor != null && !noColor.isEmpty()) return mono();
        if (configured != null && configured.toLowerCase(Locale.ROOT).matches("mono|monochrome|none")) return mono();
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
        int h = Math.floorMod(userUUID.hashCode(), SENDERS.length);
        return Style.of(SENDERS[h], D, SGR.BOLD);
    }
}
