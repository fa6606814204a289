package dev.novyse.tui;

import com.googlecode.lanterna.TerminalPosition;
import dev.novyse.state.AppState;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.store.PinnedMessageView;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Draws one frame from the latest state and the UI model; returns where the cursor goes (null: hidden). */
final class Renderer {
    static final int COMPOSER_MAX_ROWS = 6;

    private final Theme theme;
    private final KeyMap keys;
    private final MessageLines layout;
    // The last layout, reused while neither the window nor the width changed (most key presses).
    private AppState.ChatWindow laidOutWindow;
    private int laidOutWidth = -1;
    private List<MessageLines.Line> laidOut = List.of();
    /** Rows of the message pane in the last frame (page size for PageUp/PageDown). */
    int paneRows = 10;

    Renderer(Theme theme, KeyMap keys, ZoneId zone) {
        this.theme = theme;
        this.keys = keys;
        this.layout = new MessageLines(theme, zone);
    }

    Theme theme() {
        return theme;
    }

    List<MessageLines.Line> lines(UiModel m, int width) {
        AppState.ChatWindow w = m.state.window();
        if (w != laidOutWindow || width != laidOutWidth) {
            String mention = m.mention;
            laidOut = layout.build(w, m.state.myUUID(), mention, width);
            laidOutWindow = w;
            laidOutWidth = width;
        }
        return laidOut;
    }

    TerminalPosition draw(Canvas c, UiModel m) {
        c.fill(0, 0, c.cols, theme.normal());
        for (int r = 0; r < c.rows; r++) c.fill(0, r, c.cols, theme.normal());
        if (c.rows < 6 || c.cols < 24) {
            c.put(0, 0, TextWidth.fit("novyse: window too small", c.cols), theme.statusAlert(), c.cols);
            return null;
        }
        boolean narrow = c.cols < 60;
        int listWidth = !m.showList ? 0 : narrow ? (m.focus == UiModel.Focus.CHATS ? c.cols : 0)
                : Math.max(18, Math.min(30, c.cols / 4));
        int bottom = c.rows - 1; // status bar row
        m.listWidth = listWidth;
        if (listWidth > 0) drawChatList(c, m, 0, listWidth == c.cols ? c.cols : listWidth, bottom);
        TerminalPosition cursor = null;
        if (listWidth < c.cols) {
            int x0 = listWidth == 0 ? 0 : listWidth + 1;
            if (listWidth > 0) for (int r = 0; r < bottom; r++) c.put(listWidth, r, "│", theme.border(), listWidth + 1);
            cursor = drawChat(c, m, x0, c.cols, bottom);
        }
        drawStatus(c, m, bottom);
        if (m.overlay != null) cursor = drawOverlay(c, m);
        return m.focus == UiModel.Focus.COMPOSER || m.overlay != null ? cursor : null;
    }

    // ---- chat list ----------------------------------------------------------------------------------------

    private void drawChatList(Canvas c, UiModel m, int x0, int x1, int bottom) {
        boolean focused = m.focus == UiModel.Focus.CHATS;
        int unread = m.state.unreadTotal();
        c.fill(x0, 0, x1, theme.title());
        c.put(x0 + 1, 0, "Chats" + (unread > 0 ? " · " + unread + " unread" : ""), focused ? theme.title().plus(com.googlecode.lanterna.SGR.UNDERLINE) : theme.title(), x1);
        List<UiModel.ChatRow> rows = m.chatRows();
        int visible = bottom - 1;
        if (m.chatRow >= rows.size()) m.chatRow = Math.max(0, rows.size() - 1);
        if (m.chatRow < m.chatListTop) m.chatListTop = m.chatRow;
        if (m.chatRow >= m.chatListTop + visible) m.chatListTop = m.chatRow - visible + 1;
        AppState.OpenChat open = m.state.window().chat();
        java.util.Map<String, ChatSummary> byId = new java.util.HashMap<>();
        for (ChatSummary s : m.state.chats()) byId.put(s.uuid(), s);
        for (int i = 0; i < visible && m.chatListTop + i < rows.size(); i++) {
            int row = 1 + i;
            UiModel.ChatRow r = rows.get(m.chatListTop + i);
            ChatSummary s = byId.get(r.chatUUID());
            if (s == null) continue;
            boolean isOpen = open != null && open.chatUUID().equals(r.chatUUID()) && open.subID() == r.subID();
            boolean isCursor = m.chatListTop + i == m.chatRow;
            Theme.Style base = isCursor && focused ? theme.focusSelected() : isOpen ? theme.selected()
                    : s.unreadCount() > 0 && !r.isSub() ? theme.unread() : theme.normal();
            c.fill(x0, row, x1, base);
            String label;
            if (r.isSub()) {
                String subName = m.subs.getOrDefault(r.chatUUID(), List.of()).stream().filter(x -> x.id() == r.subID())
                        .map(x -> x.name() == null ? "sub " + x.id() : x.name()).findFirst().orElse("sub " + r.subID());
                label = "   └ " + subName;
            } else {
                label = (s.pinnedPosition() != null ? "*" : " ") + marker(s, m.expanded.contains(s.uuid())) + " "
                        + (s.title() == null ? "(unnamed)" : s.title());
            }
            String counts = "";
            if (!r.isSub() && s.unreadCount() > 0) counts = String.valueOf(s.unreadCount());
            String mentions = !r.isSub() && s.mentionCount() > 0 ? "@" + s.mentionCount() + " " : "";
            int countCols = TextWidth.columns(counts) + TextWidth.columns(mentions);
            int end = x1 - countCols - (countCols > 0 ? 1 : 0);
            c.put(x0, row, TextWidth.fit(label, end - x0), base, end);
            int cx = x1 - countCols - 1;
            if (!mentions.isEmpty()) cx = c.put(cx, row, mentions, isCursor && focused ? base : theme.mention(), x1);
            if (!counts.isEmpty()) c.put(cx, row, counts, base.plus(com.googlecode.lanterna.SGR.BOLD), x1);
        }
        if (rows.isEmpty()) c.put(x0 + 1, 2, TextWidth.fit("no chats yet", x1 - x0 - 1), theme.dim(), x1);
    }

    static String marker(ChatSummary s, boolean expanded) {
        return switch (s.type() == null ? "" : s.type()) {
            case "DM" -> "@";
            case "GROUP" -> "#";
            case "CHANNEL" -> "»";
            case "FORUM" -> expanded ? "▾" : "▸";
            default -> "?";
        };
    }

    // ---- the open chat -----------------------------------------------------------------------------------

    private TerminalPosition drawChat(Canvas c, UiModel m, int x0, int x1, int bottom) {
        int width = x1 - x0;
        m.paneWidth = width;
        AppState.ChatWindow w = m.state.window();
        ChatSummary chat = w.isOpen() ? m.state.chats().stream().filter(s -> s.uuid().equals(w.chat().chatUUID()))
                .findFirst().orElse(null) : null;
        // header
        c.fill(x0, 0, x1, theme.title());
        String title = chat == null ? "novyse" : marker(chat, false) + " " + chat.title()
                + (chat.handle() != null ? "  @" + chat.handle() : "")
                + ("FORUM".equals(chat.type()) ? "  / " + subName(m, w.chat()) : "")
                + "  " + chat.type().toLowerCase();
        int hx = c.put(x0 + 1, 0, TextWidth.fit(title, width - 2), theme.title(), x1);
        Set<String> typing = w.isOpen() ? m.state.typing().getOrDefault(w.chat().chatUUID(), Set.of()) : Set.of();
        if (!typing.isEmpty()) {
            String t = String.join(", ", typing) + (typing.size() == 1 ? " is typing…" : " are typing…");
            t = TextWidth.fit(t, Math.max(0, x1 - hx - 3));
            c.put(x1 - TextWidth.columns(t) - 1, 0, t, theme.title().plus(com.googlecode.lanterna.SGR.ITALIC), x1);
        }
        // composer
        int inner = Math.max(4, width - 2);
        Composer.Layout cl = m.composer.layout(inner);
        int composerRows = Math.min(COMPOSER_MAX_ROWS, cl.lines().size());
        int composerTop = bottom - composerRows;
        int sepRow = composerTop - 1;
        String mode;
        if (m.editing != null) mode = "editing your message · Enter saves · Esc cancels";
        else if (m.replyTo != null) mode = "reply to " + (m.replyTo.senderName() == null ? "unknown" : MessageLines.first(m.replyTo.senderName()))
                + ": " + MessageLines.oneLine(m.replyTo.content()) + " · Esc cancels";
        else mode = chat == null ? "" : "message " + (chat.title() == null ? "" : chat.title());
        boolean composing = m.focus == UiModel.Focus.COMPOSER;
        c.put(x0, sepRow, "─".repeat(width), composing ? theme.title() : theme.border(), x1);
        c.put(x0 + 2, sepRow, TextWidth.fit(" " + mode + " ", width - 4), m.editing != null || m.replyTo != null ? theme.highlight() : theme.dim(), x1 - 2);
        int firstComposerLine = Math.max(0, Math.min(cl.cursorRow() - composerRows + 1, cl.lines().size() - composerRows));
        for (int i = 0; i < composerRows; i++) {
            int li = firstComposerLine + i;
            if (li < cl.lines().size()) c.put(x0 + 1, composerTop + i, cl.lines().get(li), theme.normal(), x1 - 1);
        }
        if (m.composer.isEmpty() && !composing) {
            c.put(x0 + 1, composerTop, TextWidth.fit("Tab to write · F1 help", width - 2), theme.dim(), x1);
        }
        TerminalPosition cursor = new TerminalPosition(x0 + 1 + cl.cursorCol(), composerTop + cl.cursorRow() - firstComposerLine);
        // messages
        int paneTop = 1;
        int paneRowsNow = Math.max(1, sepRow - paneTop);
        paneRows = paneRowsNow;
        if (!w.isOpen()) {
            c.put(x0 + 2, paneTop + 1, TextWidth.fit("No chat open. Pick one on the left (Tab, Enter), or F1 for help.", width - 3), theme.dim(), x1);
            return cursor;
        }
        List<MessageLines.Line> lines = lines(m, width);
        keepSelectionVisible(m, lines, paneRowsNow);
        int total = lines.size();
        m.scroll = Math.max(0, Math.min(m.scroll, Math.max(0, total - paneRowsNow)));
        int end = total - m.scroll;
        int start = Math.max(0, end - paneRowsNow);
        int row = paneTop + Math.max(0, paneRowsNow - (end - start)); // bottom-aligned
        for (int i = start; i < end; i++, row++) {
            MessageLines.Line line = lines.get(i);
            boolean sel = m.selected != null && line.messageId() == m.selected;
            int x = x0;
            boolean firstSeg = true;
            for (MessageLines.Seg s : line.segs()) {
                Theme.Style st = sel && firstSeg ? (m.focus == UiModel.Focus.MESSAGES ? theme.focusSelected() : theme.selected()) : s.style();
                x = c.put(x, row, s.text(), st, x1);
                firstSeg = false;
            }
        }
        if (m.scroll > 0) {
            String more = " ↓ " + m.scroll + " more lines · " + keyName(KeyMap.Action.LATEST) + " ";
            c.put(x1 - TextWidth.columns(more) - 1, sepRow, more, theme.highlight(), x1);
        }
        return cursor;
    }

    private static String subName(UiModel m, AppState.OpenChat open) {
        return m.subs.getOrDefault(open.chatUUID(), List.of()).stream().filter(s -> s.id() == open.subID())
                .map(s -> s.name() == null ? "sub " + s.id() : s.name()).findFirst().orElse(open.subID() == 0 ? "general" : "sub " + open.subID());
    }

    /** Scrolls just enough that the selected message's lines are on screen. */
    private static void keepSelectionVisible(UiModel m, List<MessageLines.Line> lines, int rows) {
        if (m.selected == null || !m.selectionMoved) return;
        m.selectionMoved = false;
        int first = -1, last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).messageId() == m.selected) {
                if (first < 0) first = i;
                last = i;
            }
        }
        if (first < 0) return;
        int total = lines.size();
        int end = total - m.scroll;
        int start = end - rows;
        if (last >= end) m.scroll = Math.max(0, total - last - 1);
        else if (first < start) m.scroll = Math.max(0, total - first - rows);
    }

    // ---- status bar ----------------------------------------------------------------------------------------

    private void drawStatus(Canvas c, UiModel m, int row) {
        AppState s = m.state;
        boolean alert = m.flash != null && m.flashAlert && System.currentTimeMillis() < m.flashUntil;
        Theme.Style st = alert ? theme.statusAlert() : theme.status();
        c.fill(0, row, c.cols, st);
        String conn = switch (s.connection()) {
            case LIVE -> "● live";
            case SYNCING -> "↻ syncing";
            case CONNECTING -> "… connecting";
            case OFFLINE -> "○ offline";
        };
        List<String> parts = new ArrayList<>();
        parts.add(s.account());
        parts.add(conn);
        if (s.outboxSize() > 0) parts.add("outbox " + s.outboxSize());
        if (m.flash != null && System.currentTimeMillis() < m.flashUntil) parts.add(m.flash);
        else if (s.problem() != null && s.connection() != AppState.Connection.LIVE) parts.add(s.problem());
        String left = " " + String.join(" │ ", parts);
        String right = keyName(KeyMap.Action.HELP) + " help ";
        int rx = c.cols - TextWidth.columns(right);
        c.put(0, row, TextWidth.fit(left, Math.max(0, rx - 1)), st, rx - 1);
        c.put(rx, row, right, st, c.cols);
    }

    private String keyName(KeyMap.Action a) {
        List<String> k = keys.keysOf(a);
        return k.isEmpty() ? "(unbound)" : k.get(0);
    }

    // ---- overlays ------------------------------------------------------------------------------------------

    private TerminalPosition drawOverlay(Canvas c, UiModel m) {
        int w = Math.min(c.cols - 2, 76);
        int x0 = (c.cols - w) / 2;
        int x1 = x0 + w;
            if (m.overlay instanceof UiModel.Help help) {
                List<String> lines = new ArrayList<>();
                String where = "";
                for (KeyMap.Action a : KeyMap.Action.values()) {
                    if (!a.where.equals(where)) {
                        where = a.where;
                        lines.add("");
                        lines.add(switch (where) {
                            case "global" -> "Anywhere";
                            case "composer" -> "Writing";
                            case "messages" -> "On a selected message (Up from an empty composer)";
                            default -> "In the chat list";
                        });
                    }
                    lines.add("  " + MessageLines.pad(String.join(" ", keys.keysOf(a)), 16, false) + " " + a.description);
                }
                lines.add("");
                lines.add("Commands (type them in the composer)");
                lines.add("  /join @handle  /dm @user  /group NAME @a @b");
                lines.add("  /channel NAME  /forum NAME  /search TEXT");
                lines.add("  /attach PATH  /read  /pins  /help  /quit");
                lines.remove(0); // the blank line before the first heading
                int h = Math.min(c.rows - 2, lines.size() + 1);
                int y0 = Math.max(0, (c.rows - h) / 2);
                int shown = Math.max(0, h - 1);
                help.top = Math.max(0, Math.min(help.top, lines.size() - shown));
                boolean scrolls = shown < lines.size();
                box(c, x0, y0, x1, y0 + h, scrolls ? "Keys (↑↓ PgUp PgDn scroll, Esc closes)" : "Keys (Esc closes)");
                for (int i = 0; i < shown && help.top + i < lines.size(); i++) {
                    String l = lines.get(help.top + i);
                    c.put(x0 + 2, y0 + 1 + i, l, l.startsWith("  ") ? theme.normal() : theme.title(), x1 - 1);
                }
                if (scrolls && y0 + h < c.rows) {
                    String position = " " + (help.top + 1) + "–" + Math.min(lines.size(), help.top + shown) + " of " + lines.size() + " ";
                    c.put(x1 - 2 - TextWidth.columns(position), y0 + h, position, theme.dim(), x1 - 1);
                }
                return null;
            }
            if (m.overlay instanceof UiModel.Search s) {
                int h = Math.min(c.rows - 2, 20);
                int y0 = Math.max(0, (c.rows - h) / 2);
                box(c, x0, y0, x1, y0 + h, "Search all chats (Enter jumps, Esc closes)");
                c.put(x0 + 2, y0 + 1, "> ", theme.title(), x1 - 1);
                Composer.Layout ql = s.query.layout(w - 6);
                c.put(x0 + 4, y0 + 1, ql.lines().get(0), theme.normal(), x1 - 1);
                if (s.results.isEmpty()) {
                    c.put(x0 + 2, y0 + 3, s.query.text().isBlank() ? "type words to find" : "no match for " + s.searchedFor, theme.dim(), x1 - 1);
                }
                for (int i = 0; i < s.results.size() && i < h - 4; i++) {
                    MessageView r = s.results.get(i);
                    String chat = s.chatTitles.getOrDefault(r.chatUUID(), "?");
                    String line = MessageLines.pad(chat, 12, false) + " " + MessageLines.pad(r.senderName() == null ? "?" : MessageLines.first(r.senderName()), 8, false)
                            + " " + MessageLines.oneLine(r.content());
                    Theme.Style st = i == s.selected ? theme.focusSelected() : theme.normal();
                    c.fill(x0 + 1, y0 + 3 + i, x1 - 1, st);
                    c.put(x0 + 2, y0 + 3 + i, TextWidth.fit(line, w - 4), st, x1 - 1);
                }
                return new TerminalPosition(x0 + 4 + ql.cursorCol(), y0 + 1);
            }
            if (m.overlay instanceof UiModel.Pins p) {
                int h = Math.min(c.rows - 2, Math.max(5, p.pins.size() + 3));
                int y0 = Math.max(0, (c.rows - h) / 2);
                box(c, x0, y0, x1, y0 + h, "Pinned messages (Enter jumps, Esc closes)");
                if (p.pins.isEmpty()) c.put(x0 + 2, y0 + 1, "nothing pinned in this chat", theme.dim(), x1 - 1);
                for (int i = 0; i < p.pins.size() && i < h - 2; i++) {
                    PinnedMessageView pv = p.pins.get(i);
                    String line = MessageLines.pad(pv.senderName() == null ? "?" : MessageLines.first(pv.senderName()), 10, false) + " "
                            + (pv.deleted() ? "(deleted)" : MessageLines.oneLine(pv.content()));
                    Theme.Style st = i == p.selected ? theme.focusSelected() : theme.normal();
                    c.fill(x0 + 1, y0 + 1 + i, x1 - 1, st);
                    c.put(x0 + 2, y0 + 1 + i, TextWidth.fit(line, w - 4), st, x1 - 1);
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
                c.put(x0 + 2, y0 + 3, "> ", theme.title(), x1 - 1);
                Composer.Layout l = r.custom.layout(w - 6);
                c.put(x0 + 4, y0 + 3, l.lines().get(0), theme.normal(), x1 - 1);
                return new TerminalPosition(x0 + 4 + l.cursorCol(), y0 + 3);
            }
            if (m.overlay instanceof UiModel.Confirm q) {
                int y0 = Math.max(0, c.rows / 2 - 2);
                box(c, x0, y0, x1, y0 + 3, "Confirm");
                c.put(x0 + 2, y0 + 1, TextWidth.fit(q.question() + "  [y/N]", w - 4), theme.normal(), x1 - 1);
                return null;
            }
            if (m.overlay instanceof UiModel.Prompt p) {
                int y0 = Math.max(0, c.rows / 2 - 2);
                box(c, x0, y0, x1, y0 + 3, p.question);
                Composer.Layout l = p.answer.layout(w - 6);
                c.put(x0 + 2, y0 + 1, "> ", theme.title(), x1 - 1);
                c.put(x0 + 4, y0 + 1, l.lines().get(0), theme.normal(), x1 - 1);
                return new TerminalPosition(x0 + 4 + l.cursorCol(), y0 + 1);
            }
            return null;
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
