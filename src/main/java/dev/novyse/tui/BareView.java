package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The open chat as plain text (weechat's "bare display"): the screen cleared and each message printed as lines of
 * time, name and text, with no borders and no gutter, and the terminal left to wrap them. A row the terminal wraps
 * is one line to it, so a URL longer than the window is selected, copied and recognised in one piece (tmux's
 * {@code capture-pane -J} joins it too); a row the screen positions itself never is. Where the terminal is known to
 * understand OSC 8 the links are hyperlinks as well. Any key returns to the screen, which is drawn anew.
 */
final class BareView {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm", Locale.ENGLISH);
    /** Auto-wrap on (the terminal's default; said anyway), cursor home, screen cleared, attributes reset. */
    private static final String CLEAR = "\033[?7h\033[H\033[2J\033[0m";
    private static final String FOOTER = "\033[2m-- bare view: any key returns --\033[0m";

    private final ZoneId zone;
    private final boolean hyperlinks;

    BareView(ZoneId zone, boolean hyperlinks) {
        this.zone = zone;
        this.hyperlinks = hyperlinks;
    }

    /**
     * Whether to wrap links in OSC 8 ({@code hyperlinks = on|off|auto}). Auto says yes only for terminals known to
     * show them, and never inside tmux or screen (tmux 3.3 drops the sequence), on the Linux console or an unknown
     * terminal: a terminal that does not know OSC 8 may print it.
     */
    static boolean hyperlinks(String setting, Map<String, String> env) {
        if (setting != null && setting.matches(TuiApp.ON)) return true;
        if (setting != null && !setting.equalsIgnoreCase("auto")) return false;
        String term = env.getOrDefault("TERM", "");
        if (term.isEmpty() || term.equals("dumb") || term.equals("linux") || term.startsWith("vt")) return false;
        if (env.containsKey("TMUX") || env.containsKey("STY") || term.startsWith("screen") || term.startsWith("tmux")) {
            return false;
        }
        String program = env.getOrDefault("TERM_PROGRAM", "");
        if (List.of("iTerm.app", "WezTerm", "vscode", "ghostty", "Hyper").contains(program)) return true;
        if (env.containsKey("KITTY_WINDOW_ID") || env.containsKey("WT_SESSION") || term.equals("xterm-kitty")) return true;
        String vte = env.getOrDefault("VTE_VERSION", "");
        return vte.matches("\\d+") && Integer.parseInt(vte) >= 5000;
    }

    /** The window's messages as plain lines, oldest first: "HH:MM name: text", then its further lines and files. */
    List<String> lines(AppState.ChatWindow w) {
        List<String> out = new ArrayList<>();
        for (MessageView m : w.messages()) {
            String time = time(m.createdAt());
            String name = m.senderName() == null ? "unknown" : m.senderName();
            String text = m.deleted() ? "(message deleted)" : plain(m.content() == null ? "" : m.content());
            String[] rows = text.split("\n", -1);
            out.add(time + " " + plain(name) + ": " + rows[0]);
            for (int i = 1; i < rows.length; i++) out.add("      " + rows[i]);
            for (MessageView.FileView f : m.files()) {
                out.add("      [file] " + plain(f.name() == null ? f.uuid() : f.name())
                        + (f.size() == null ? "" : " (" + dev.novyse.io.ByteSizes.human(f.size()) + ")"));
            }
        }
        return out;
    }

    /**
     * What the terminal is sent: the screen cleared, then the newest lines that fit in {@code rows - 1} rows of
     * {@code cols} columns as the terminal will wrap them (at least the newest one), and a footer on the last row.
     */
    byte[] frame(List<String> lines, int cols, int rows) {
        int from = lines.size();
        int used = 0;
        while (from > 0) {
            int need = Math.max(1, (TextWidth.columns(lines.get(from - 1)) + cols - 1) / Math.max(1, cols));
            if (used + need > rows - 1 && from < lines.size()) break;
            used += need;
            from--;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        write(b, CLEAR);
        for (String line : lines.subList(from, lines.size())) write(b, (hyperlinks ? linked(line) : line) + "\r\n");
        write(b, FOOTER);
        return b.toByteArray();
    }

    /** Each link as an OSC 8 hyperlink around its own text. */
    static String linked(String line) {
        StringBuilder b = new StringBuilder();
        int at = 0;
        for (String url : Links.urls(line)) {
            int i = line.indexOf(url, at);
            if (i < 0) continue;
            b.append(line, at, i).append("\033]8;;").append(url).append("\033\\").append(url).append("\033]8;;\033\\");
            at = i + url.length();
        }
        return b.append(line.substring(at)).toString();
    }

    /** Text as the terminal may print it: no control characters but newlines; tabs as spaces to the next stop. */
    private static String plain(String s) {
        return TextWidth.expandTabs(TerminalInput.clean(s));
    }

    private String time(String iso) {
        try {
            return iso == null ? "--:--" : TIME.format(Instant.parse(iso).atZone(zone));
        } catch (RuntimeException e) {
            return "--:--";
        }
    }

    private static void write(ByteArrayOutputStream b, String s) {
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
