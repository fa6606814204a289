package dev.novyse.tui;

import com.googlecode.lanterna.TerminalPosition;
import dev.novyse.store.MessageView;
import dev.novyse.state.AppState;
import dev.novyse.store.MemberView;
import dev.novyse.store.PinnedMessageView;

import java.util.ArrayList;
import java.util.List;

/** Draws the open dialog ({@link UiModel.Overlay}) in a box over the screen; {@link Dialogs} takes its keys. */
final class DialogRenderer {
    private final Theme theme;
    private final KeyMap keys;

    DialogRenderer(Theme theme, KeyMap keys) {
        this.theme = theme;
        this.keys = keys;
    }

    /** Returns where the cursor goes: in the dialog's input line, or null (hidden) for a dialog without one. */
    TerminalPosition draw(Canvas c, UiModel m) {
        int w = Math.min(c.cols - 2, 76);
        int x0 = (c.cols - w) / 2;
        int x1 = x0 + w;
        if (m.overlay instanceof UiModel.Help help) {
            drawHelp(c, help, x0, x1);
            return null;
        }
        if (m.overlay instanceof UiModel.Search s) {
            // Wider than the other dialogs on a wide terminal: each row is a message, and the words found matter.
            w = Math.min(c.cols - 2, 120);
            x0 = (c.cols - w) / 2;
            x1 = x0 + w;
            int h = Math.min(c.rows - 2, 20);
            int y0 = Math.max(0, (c.rows - h) / 2);
            String found = s.results.isEmpty() ? "" : " · " + s.results.size() + (s.results.size() == 1 ? " hit" : " hits");
            box(c, x0, y0, x1, y0 + h, (s.favorites == null ? "Search all chats" : "Favourites") + found
                    + " (Enter jumps, Esc closes)");
            TerminalPosition cursor = inputLine(c, s.query, x0, y0 + 1, x1);
            if (s.results.isEmpty()) {
                String none = s.favorites != null && s.favorites.isEmpty()
                        ? "no favourites yet: select a message (Up) and press " + favoriteKey()
                        : s.query.text().isBlank() ? "type words to find" : "no match for " + s.searchedFor;
                c.put(x0 + 2, y0 + 3, none, theme.dim(), x1 - 1);
            }
            // The list scrolls with the chosen hit: Enter never jumps to a hit not shown.
            int visible = Math.max(1, h - 4);
            if (s.selected < s.top) s.top = s.selected;
            if (s.selected >= s.top + visible) s.top = s.selected - visible + 1;
            for (int i = s.top; i < s.results.size() && i < s.top + visible; i++) {
                MessageView r = s.results.get(i);
                String chat = s.chatTitles.getOrDefault(r.chatUUID(), "?")
                        + (r.subID() == 0 ? "" : "/" + m.subName(r.chatUUID(), r.subID()));
                String date = r.createdAt() == null || r.createdAt().length() < 10 ? "          " : r.createdAt().substring(0, 10);
                String prefix = date + " " + MessageLines.pad(chat, 14, false) + " "
                        + MessageLines.pad(MessageLines.first(r.senderName(), "?"), 8, false) + " ";
                String line = prefix + SearchDialog.snippet(r.content(), s.searchedFor, w - 4 - TextWidth.columns(prefix));
                listRow(c, x0, y0 + 3 + i - s.top, x1, i == s.selected, line);
            }
            return cursor;
        }
        if (m.overlay instanceof UiModel.Switcher s) return drawSwitcher(c, s, x0, x1);
        if (m.overlay instanceof UiModel.Pins p) {
            int h = Math.min(c.rows - 2, Math.max(5, p.pins.size() + 3));
            int y0 = Math.max(0, (c.rows - h) / 2);
            box(c, x0, y0, x1, y0 + h, "Pinned messages (Enter jumps, Esc closes)");
            if (p.pins.isEmpty()) c.put(x0 + 2, y0 + 1, "nothing pinned in this chat", theme.dim(), x1 - 1);
            for (int i = 0; i < p.pins.size() && i < h - 2; i++) {
                PinnedMessageView pv = p.pins.get(i);
                String line = MessageLines.pad(MessageLines.first(pv.senderName(), "?"), 10, false) + " "
                        + (pv.deleted() ? "(deleted)" : MessageLines.oneLine(pv.content()));
                listRow(c, x0, y0 + 1 + i, x1, i == p.selected, line);
            }
            return null;
        }
        if (m.overlay instanceof UiModel.Members ms) {
            int h = Math.min(c.rows - 2, Math.max(5, ms.members.size() + 3));
            int y0 = Math.max(0, (c.rows - h) / 2);
            int shown = h - 2;
            int top = Math.max(0, Math.min(ms.selected - shown + 1, ms.members.size() - shown));
            box(c, x0, y0, x1, y0 + h, ms.members.size() + " members (arrows scroll, Enter: profile, Esc closes)");
            for (int i = 0; i < shown && top + i < ms.members.size(); i++) {
                MemberView mv = ms.members.get(top + i);
                // Presence comes for the others; the account itself is online while the live channel is.
                boolean online = m.state.online().contains(mv.userUUID()) || mv.userUUID().equals(m.state.myUUID())
                        && m.state.connection() == AppState.Connection.LIVE;
                String line = (online ? "● " : "  ") + MessageLines.pad(MessageLines.first(mv.name(), "?"), 20, false)
                        + " " + MessageLines.pad(mv.handle() == null ? "" : "@" + mv.handle(), 16, false) + " " + role(mv);
                listRow(c, x0, y0 + 1 + i, x1, top + i == ms.selected, line);
            }
            return null;
        }
        if (m.overlay instanceof UiModel.Profile p) {
            int h = Math.min(c.rows - 2, p.lines().size() + 1); // the lines between the box's two borders
            int y0 = Math.max(0, (c.rows - h) / 2);
            box(c, x0, y0, x1, y0 + h, "Profile (Esc closes)");
            for (int i = 0; i < p.lines().size() && i < h - 1; i++) {
                c.put(x0 + 2, y0 + 1 + i, p.lines().get(i), i == 0 ? theme.title() : theme.normal(), x1 - 1);
            }
            return null;
        }
        if (m.overlay instanceof UiModel.React r) {
            int y0 = Math.max(0, c.rows / 2 - 3);
            box(c, x0, y0, x1, y0 + 5, "React (1-8, or type an emoji and Enter; Esc closes)");
            int x = x0 + 2;
            for (int i = 0; i < UiModel.React.QUICK.size(); i++) {
                x = c.put(x, y0 + 1, (i + 1) + " ", theme.dim(), x1 - 1);
                x = c.put(x, y0 + 1, UiModel.React.QUICK.get(i) + "  ", theme.normal(), x1 - 1);
            }
            return inputLine(c, r.custom, x0, y0 + 3, x1);
        }
        if (m.overlay instanceof UiModel.Confirm q) {
            // Wrapped, never cut: in a narrow window the key that confirms was the part left out.
            List<String> lines = TextWidth.wrap(q.question() + "  [y/N]", Math.max(1, w - 4));
            int fit = Math.max(1, c.rows - 2);
            if (lines.size() > fit) {
                List<String> kept = new ArrayList<>(lines.subList(0, fit - 1));
                kept.add(lines.get(lines.size() - 1));
                lines = kept;
            }
            int y0 = Math.max(0, c.rows / 2 - 1 - lines.size() / 2);
            box(c, x0, y0, x1, y0 + lines.size() + 1, "Confirm");
            for (int i = 0; i < lines.size(); i++) c.put(x0 + 2, y0 + 1 + i, lines.get(i), theme.normal(), x1 - 1);
            return null;
        }
        if (m.overlay instanceof UiModel.Prompt p) {
            int y0 = Math.max(0, c.rows / 2 - 2);
            box(c, x0, y0, x1, y0 + 3, p.question);
            return inputLine(c, p.answer, x0, y0 + 1, x1);
        }
        return null;
    }

    /** The chat switcher: what is typed, then the matching chats, the chosen one kept in view. */
    private TerminalPosition drawSwitcher(Canvas c, UiModel.Switcher s, int x0, int x1) {
        int h = Math.min(c.rows - 2, 16);
        int y0 = Math.max(0, (c.rows - h) / 2);
        box(c, x0, y0, x1, y0 + h, "Open a chat (type to filter, ↑↓ choose, Enter opens, Esc back)");
        TerminalPosition cursor = inputLine(c, s.query, x0, y0 + 1, x1);
        if (s.shown.isEmpty()) c.put(x0 + 2, y0 + 3, "no chat matches " + s.query.text().strip(), theme.dim(), x1 - 1);
        int visible = Math.max(1, h - 4);
        if (s.selected < s.top) s.top = s.selected;
        if (s.selected >= s.top + visible) s.top = s.selected - visible + 1;
        for (int i = s.top; i < s.shown.size() && i < s.top + visible; i++) {
            ChatFilter.Choice choice = s.shown.get(i);
            String unread = choice.unread() > 0 ? String.valueOf(choice.unread()) : "";
            int width = x1 - x0 - 4 - (unread.isEmpty() ? 0 : TextWidth.columns(unread) + 2);
            listRow(c, x0, y0 + 3 + i - s.top, x1, i == s.selected,
                    MessageLines.pad(choice.label(), width, false) + (unread.isEmpty() ? "" : "  " + unread));
        }
        return cursor;
    }

    private String favoriteKey() {
        List<String> k = keys.keysOf(KeyMap.Action.FAVORITE);
        return k.isEmpty() ? "the favourite key" : k.get(0);
    }

    /** The key list, grouped by where the keys apply, then the slash commands; scrolls when the window is short. */
    private void drawHelp(Canvas c, UiModel.Help help, int x0, int x1) {
        List<String> lines = help.log != null ? logLines(help.log, x1 - x0 - 4) : keyLines(x1 - x0);
        // As tall as the window above the status bar before it scrolls: the box spans h + 1 rows, its bottom border
        // on row y0 + h, which drew over the status bar (and left the cursor there) when h was rows - 1.
        int h = Math.max(2, Math.min(c.rows - 2, lines.size() + 1));
        int y0 = Math.max(0, (c.rows - 1 - h) / 2);
        int shown = Math.max(0, h - 1);
        help.top = Math.max(0, Math.min(help.top, lines.size() - shown));
        help.page = shown;
        boolean scrolls = shown < lines.size();
        String what = help.log != null ? "Status messages, newest first" : "Keys";
        box(c, x0, y0, x1, y0 + h, what + (scrolls ? " (↑↓ PgUp PgDn scroll, Esc closes)" : " (Esc closes)"));
        for (int i = 0; i < shown && help.top + i < lines.size(); i++) {
            String l = lines.get(help.top + i);
            c.put(x0 + 2, y0 + 1 + i, l, l.startsWith("  ") || help.log != null ? theme.normal() : theme.title(), x1 - 1);
        }
        if (scrolls && y0 + h < c.rows) {
            String position = " " + (help.top + 1) + "–" + Math.min(lines.size(), help.top + shown) + " of " + lines.size() + " ";
            c.put(x1 - 2 - TextWidth.columns(position), y0 + h, position, theme.dim(), x1 - 1);
        }
    }

    /** Each status message wrapped to {@code width}, its later rows indented under its text. */
    private static List<String> logLines(List<String> said, int width) {
        if (said.isEmpty()) return List.of("nothing said yet this session");
        List<String> lines = new ArrayList<>();
        for (String one : said) {
            // The time first, then the text wrapped in the column after it (10 wide: "HH:mm:ss  ").
            List<String> rows = TextWidth.wrap(one.substring(Math.min(one.length(), 10)), Math.max(10, width - 10));
            lines.add(one.substring(0, Math.min(one.length(), 10)) + rows.get(0));
            for (String r : rows.subList(1, rows.size())) lines.add("          " + r);
        }
        return lines;
    }

    /** The keys by where they work, then the commands. */
    private List<String> keyLines(int boxWidth) {
        List<String> lines = new ArrayList<>();
        List<KeyMap.Action> section = new ArrayList<>();
        for (KeyMap.Action a : KeyMap.Action.values()) {
            if (!section.isEmpty() && !section.get(0).where.equals(a.where)) {
                helpSection(lines, section, boxWidth - 3);
                section.clear();
            }
            section.add(a);
        }
        helpSection(lines, section, boxWidth - 3);
        lines.add("");
        lines.add("Commands (type them in the composer)");
        lines.add("  /open TEXT  /join @handle  /dm @user  /group NAME @a @b");
        lines.add("  /channel NAME  /forum NAME  /search TEXT  /edit [TEXT]");
        lines.add("  /attach PATH  /read  /pins  /members  /favorites  /log  /help  /quit");
        lines.add("  /retry  /drop  (messages the server refused: again, or back to the composer)");
        lines.add("  /profile [@a]  /profile name|surname|bio|color|birthday|handle TEXT");
        lines.add("  /mute [8h]  /unmute  /rename NAME  /describe TEXT  /pin  /unpin");
        lines.add("  /leave  /invite @a @b  /kick @a  /ban @a  /unban @a");
        lines.add("  /admin @a [off]  /owner @a  /sub NAME  /sub rename NAME  /sub delete");
        lines.remove(0); // the blank line before the first heading
        return lines;
    }

    /**
     * A blank line, the heading, then a line per action; two actions to a line when every one of the section fits in
     * half the {@code width} (the selected message's keys, whose one-letter keys and short descriptions would
     * otherwise push the help past a 45-row window).
     */
    private void helpSection(List<String> lines, List<KeyMap.Action> actions, int width) {
        lines.add("");
        lines.add(switch (actions.get(0).where) {
            case "global" -> "Anywhere";
            case "composer" -> "Writing";
            case "messages" -> "On a selected message (Up from an empty composer)";
            default -> "In the chat list";
        });
        int keyWidth = 0;
        for (KeyMap.Action a : actions) keyWidth = Math.max(keyWidth, TextWidth.columns(String.join(", ", keys.keysOf(a))));
        int half = (width - 2) / 2;
        boolean paired = actions.size() > 1;
        for (KeyMap.Action a : actions) paired &= 2 + keyWidth + 1 + TextWidth.columns(a.description) <= half;
        if (!paired) keyWidth = 16;
        for (int i = 0; i < actions.size(); i += paired ? 2 : 1) {
            String entry = helpEntry(actions.get(i), keyWidth);
            if (paired && i + 1 < actions.size()) entry = MessageLines.pad(entry, half, false) + helpEntry(actions.get(i + 1), keyWidth).strip();
            lines.add(entry);
        }
        if (actions.get(0).where.equals("messages")) { // the selection's own keys, fixed (MessageActions)
            lines.add("  Up, Down (k, j)   the message before, after");
            lines.add("  Home, End (g, G)  the first, the last");
            lines.add("  Esc, Enter        back to the composer");
        }
    }

    private String helpEntry(KeyMap.Action a, int keyWidth) {
        return "  " + MessageLines.pad(String.join(", ", keys.keysOf(a)), keyWidth, false) + " " + a.description;
    }

    /** A dialog's one-line input ("> " and the text's first line) on row {@code y}; returns where the cursor goes. */
    private TerminalPosition inputLine(Canvas c, Composer input, int x0, int y, int x1) {
        Composer.Layout l = input.layout(x1 - x0 - 6);
        c.put(x0 + 2, y, "> ", theme.title(), x1 - 1);
        c.put(x0 + 4, y, l.lines().get(0), theme.normal(), x1 - 1);
        return new TerminalPosition(x0 + 4 + l.cursorCol(), y);
    }

    /** A member's highest role by the protocol's ids (0 member, 1 admin, 2 owner; a newer one by its id). */
    private static String role(MemberView mv) {
        int top = mv.roleIDs() == null ? 0 : mv.roleIDs().stream().mapToInt(Integer::intValue).max().orElse(0);
        return switch (top) {
            case 0 -> "member";
            case 1 -> "admin";
            case 2 -> "owner";
            default -> "role " + top;
        };
    }

    /** One row of a dialog's list (search hits, pins), highlighted across the box when selected. */
    private void listRow(Canvas c, int x0, int y, int x1, boolean selected, String text) {
        Theme.Style st = selected ? theme.focusSelected() : theme.normal();
        c.fill(x0 + 1, y, x1 - 1, st);
        c.put(x0 + 2, y, TextWidth.fit(text, x1 - x0 - 4), st, x1 - 1);
    }

    private void box(Canvas c, int x0, int y0, int x1, int y1, String title) {
        for (int r = y0; r <= y1 && r < c.rows; r++) c.fill(x0, r, x1, theme.normal());
        c.put(x0, y0, "┌" + "─".repeat(Math.max(0, x1 - x0 - 2)) + "┐", theme.border(), x1);
        for (int r = y0 + 1; r < y1 && r < c.rows; r++) {
            c.put(x0, r, "│", theme.border(), x0 + 1);
            c.put(x1 - 1, r, "│", theme.border(), x1);
        }
        if (y1 < c.rows) c.put(x0, y1, "└" + "─".repeat(Math.max(0, x1 - x0 - 2)) + "┘", theme.border(), x1);
        c.put(x0 + 2, y0, TextWidth.fit(" " + title + " ", x1 - x0 - 4), theme.title(), x1 - 2);
    }
}
