package dev.novyse.tui;

import com.googlecode.lanterna.SGR;
import com.googlecode.lanterna.TerminalPosition;
import dev.novyse.state.AppState;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.SubUnread;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Draws one frame from the latest state and the UI model; returns where the cursor goes (null: hidden). */
final class Renderer {
    static final int COMPOSER_MAX_ROWS = 6;

    private final Theme theme;
    private final KeyMap keys;
    private final MessageLines layout;
    private final DialogRenderer dialogs;
    // The last layout, reused while neither the window nor the width changed (most key presses).
    private AppState.ChatWindow laidOutWindow;
    private int laidOutWidth = -1;
    /** What the outbox's rows said they wait for when the lines were laid out (the server, a sign-in; null: nothing). */
    private String laidOutWaiting;
    private List<MessageLines.Line> laidOut = List.of();
    /** Rows of the message pane in the last frame (page size for PageUp/PageDown). */
    int paneRows = 10;

    Renderer(Theme theme, KeyMap keys, ZoneId zone) {
        this(theme, keys, zone, false);
    }

    /** {@code ascii}: messages' emoji as {@code :shortcode:} ({@link Ascii}). */
    Renderer(Theme theme, KeyMap keys, ZoneId zone, boolean ascii) {
        this.theme = theme;
        this.keys = keys;
        this.layout = new MessageLines(theme, zone, ascii);
        this.dialogs = new DialogRenderer(theme, keys);
    }

    Theme theme() {
        return theme;
    }

    List<MessageLines.Line> lines(UiModel m, int width) {
        AppState.ChatWindow w = m.state.window();
        String waiting = switch (m.state.connection()) {
            case OFFLINE -> "waiting for the server (goes out when it is back)";
            case SIGNED_OUT -> "waiting for a sign-in (novyse login), then it goes out";
            default -> null;
        };
        if (w != laidOutWindow || width != laidOutWidth || !java.util.Objects.equals(waiting, laidOutWaiting)) {
            String mention = m.mention;
            laidOut = layout.build(w, m.state.myUUID(), mention, width, waiting);
            laidOutWindow = w;
            laidOutWidth = width;
            laidOutWaiting = waiting;
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
        if (m.overlay != null) cursor = dialogs.draw(c, m);
        return m.focus == UiModel.Focus.COMPOSER || m.overlay != null ? cursor : null;
    }

    // ---- chat list ----------------------------------------------------------------------------------------

    private void drawChatList(Canvas c, UiModel m, int x0, int x1, int bottom) {
        boolean focused = m.focus == UiModel.Focus.CHATS;
        int unread = m.state.unreadTotal();
        c.fill(x0, 0, x1, theme.title());
        c.put(x0 + 1, 0, "Chats" + (unread > 0 ? " · " + unread + " unread" : ""), focused ? theme.title().plus(SGR.UNDERLINE) : theme.title(), x1);
        List<UiModel.ChatRow> rows = m.chatRows();
        int visible = bottom - 1;
        if (m.chatRow >= rows.size()) m.chatRow = Math.max(0, rows.size() - 1);
        if (m.chatRow < m.chatListTop) m.chatListTop = m.chatRow;
        if (m.chatRow >= m.chatListTop + visible) m.chatListTop = m.chatRow - visible + 1;
        AppState.OpenChat open = m.state.window().chat();
        Map<String, ChatSummary> byId = m.chatsById();
        java.time.Instant now = java.time.Instant.now(); // a mute that ran out shows as such at the next frame
        for (int i = 0; i < visible && m.chatListTop + i < rows.size(); i++) {
            int row = 1 + i;
            UiModel.ChatRow r = rows.get(m.chatListTop + i);
            ChatSummary s = byId.get(r.chatUUID());
            if (s == null) continue;
            boolean isOpen = open != null && open.chatUUID().equals(r.chatUUID()) && open.subID() == r.subID();
            boolean isCursor = m.chatListTop + i == m.chatRow;
            // A sub shows its own counts (once read); a chat or forum its total.
            SubUnread sub = r.isSub() ? m.subCount(r) : null;
            int unreadHere = r.isSub() ? (sub == null ? 0 : sub.unreadCount()) : s.unreadCount();
            int mentionsHere = r.isSub() ? (sub == null ? 0 : sub.mentionCount()) : s.mentionCount();
            // A muted chat is dimmed whatever it holds; its counts (and mentions) still show.
            Theme.Style base = isCursor && focused ? theme.focusSelected() : isOpen ? theme.selected()
                    : m.state.muted(s.uuid(), now) ? theme.dim() : unreadHere > 0 ? theme.unread() : theme.normal();
            c.fill(x0, row, x1, base);
            String label;
            if (r.isSub()) {
                int next = m.chatListTop + i + 1; // a tree: ├ before a sub that has another under it, └ at the last
                boolean last = next >= rows.size() || !rows.get(next).isSub() || !rows.get(next).chatUUID().equals(r.chatUUID());
                label = (last ? "   └ " : "   ├ ") + m.subName(r.chatUUID(), r.subID());
            } else {
                label = (s.pinnedPosition() != null ? "*" : " ") + marker(s, m.expanded.contains(s.uuid())) + " "
                        + (s.title() == null ? "(unnamed)" : s.title());
            }
            String counts = unreadHere > 0 ? String.valueOf(unreadHere) : "";
            String mentions = mentionsHere > 0 ? "@" + mentionsHere + " " : "";
            int countCols = TextWidth.columns(counts) + TextWidth.columns(mentions);
            // A blank column between the name and its counts (and one at the edge): they never touch.
            int end = x1 - countCols - (countCols > 0 ? 2 : 0);
            c.put(x0, row, TextWidth.fit(label, end - x0), base, end);
            int cx = x1 - countCols - 1;
            if (!mentions.isEmpty()) cx = c.put(cx, row, mentions, isCursor && focused ? base : theme.mention(), x1);
            if (!counts.isEmpty()) c.put(cx, row, counts, base.plus(SGR.BOLD), x1);
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
        ChatSummary chat = w.isOpen() ? m.chat(w.chat().chatUUID()) : null;
        // header
        c.fill(x0, 0, x1, theme.title());
        String title = chat == null ? "novyse" : marker(chat, false) + " " + chat.title()
                + (chat.handle() != null ? "  @" + chat.handle() : "")
                + ("FORUM".equals(chat.type()) ? "  / " + m.subName(w.chat().chatUUID(), w.chat().subID()) : "")
                + "  " + chat.type().toLowerCase();
        int hx = c.put(x0 + 1, 0, TextWidth.fit(title, width - 2), theme.title(), x1);
        Set<String> typing = w.isOpen() ? m.state.typing().getOrDefault(w.chat().chatUUID(), Set.of()) : Set.of();
        if (!typing.isEmpty()) {
            String t = String.join(", ", typing) + (typing.size() == 1 ? " is typing…" : " are typing…");
            t = TextWidth.fit(t, Math.max(0, x1 - hx - 3));
            c.put(x1 - TextWidth.columns(t) - 1, 0, t, theme.title().plus(SGR.ITALIC), x1);
        }
        // composer
        int inner = Math.max(4, width - 2);
        Composer.Layout cl = m.composer.layout(inner);
        int composerRows = Math.min(COMPOSER_MAX_ROWS, cl.lines().size());
        int composerTop = bottom - composerRows;
        int sepRow = composerTop - 1;
        String mode;
        boolean mayPost = chat == null || m.may(chat.uuid(), "SEND"); // a channel's member does not reply
        if (m.focus == UiModel.Focus.MESSAGES && m.selected != null) mode = "SELECTING a message · "
                + (mayPost ? keyName(KeyMap.Action.REPLY) + " reply · " : "") + keyName(KeyMap.Action.REACT) + " react · "
                + keyName(KeyMap.Action.PIN) + " pin · " + (chat == null || m.may(chat.uuid(), "EDIT_OWN")
                ? keyName(KeyMap.Action.EDIT) + " edit · " : "") + "Esc back to writing";
        else if (m.editing != null) mode = "editing your message · Enter saves · Esc cancels";
        else if (m.replyTo != null) mode = "reply to " + MessageLines.first(m.replyTo.senderName(), "unknown")
                + ": " + MessageLines.oneLine(m.replyTo.content()) + " · Esc cancels";
        else if (!mayPost) mode = "read-only: only the channel's admins post here";
        else mode = chat == null ? "" : "message " + (chat.title() == null ? "" : chat.title())
                + ("FORUM".equals(chat.type()) ? " / " + m.subName(chat.uuid(), w.chat().subID()) : "");
        boolean composing = m.focus == UiModel.Focus.COMPOSER;
        c.put(x0, sepRow, "─".repeat(width), composing ? theme.title() : theme.border(), x1);
        boolean selecting = m.focus == UiModel.Focus.MESSAGES && m.selected != null;
        c.put(x0 + 2, sepRow, TextWidth.fit(" " + mode + " ", width - 4),
                selecting || m.editing != null || m.replyTo != null ? theme.highlight() : theme.dim(), x1 - 2);
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
            // No chat, as the server says (not a first sync still on its way on a new device).
            boolean none = m.state.chats().isEmpty() && m.state.connection() == AppState.Connection.LIVE;
            c.put(x0 + 2, paneTop + 1, TextWidth.fit(none ? "No chat open, and no chat yet." : "No chat open. Pick one on the left"
                    + " (Tab, Enter), or F1 for help.", width - 3), theme.dim(), x1);
            if (none) { // a new account: what starts a conversation, typed right here
                String[] ways = {"Type here to start one:", "  /dm @handle          a conversation with one person",
                        "  /join @handle        a group, channel or forum that has a handle",
                        "  /group NAME @a @b    a group of your own (/channel NAME, /forum NAME)", "F1 lists every key and command."};
                for (int i = 0; i < ways.length && paneTop + 3 + i < sepRow; i++) {
                    c.put(x0 + 2, paneTop + 3 + i, TextWidth.fit(ways[i], width - 3), theme.dim(), x1);
                }
            }
            return cursor;
        }
        List<MessageLines.Line> lines = lines(m, width);
        keepViewAboveNewer(m, lines);
        showFirstUnread(m, lines, paneRowsNow);
        showArrivals(m, lines, paneRowsNow);
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
            for (MessageLines.Seg s : i == start ? line.atTop() : line.segs()) {
                Theme.Style st = sel && firstSeg ? (m.focus == UiModel.Focus.MESSAGES ? theme.focusSelected() : theme.selected()) : s.style();
                x = c.put(x, row, s.text(), st, x1);
                firstSeg = false;
            }
        }
        boolean older = !m.state.window().tail(); // an older stretch of the chat (after a jump)
        if (m.scroll > 0 || older) {
            String more = (older ? " ↓ newer messages below · " : " ↓ " + m.scroll + " more lines · ")
                    + keyName(KeyMap.Action.LATEST) + " ";
            c.put(x1 - TextWidth.columns(more) - 1, sepRow, more, theme.highlight(), x1);
        }
        return cursor;
    }

    /**
     * A chat just entered opens at its first unread message, the "new messages" line at the top with a line above it
     * for context, when the unread ones do not all fit below it; it is read (and marked so) once scrolled to the end.
     */
    private static void showFirstUnread(UiModel m, List<MessageLines.Line> lines, int rows) {
        AppState.OpenChat target = m.toFirstUnread;
        var w = m.state.window();
        if (target == null || !target.equals(w.chat()) || w.messages().isEmpty()) return;
        m.toFirstUnread = null;
        if (w.myReadUpTo() <= 0) return; // never read: its newest messages, as always
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).messageId() == MessageLines.NEW_MESSAGES) {
                m.scroll = atTop(lines, i, rows);
                return;
            }
        }
    }

    /** The scroll that shows line {@code top} at the top of the pane, with the line above it for context. */
    private static int atTop(List<MessageLines.Line> lines, int top, int rows) {
        return Math.max(0, lines.size() - (Math.max(0, top - 1) + rows));
    }

    /**
     * More came into the open chat at once than fit below what was on the screen ({@link UiModel#arrivals}): the first
     * of them that someone else wrote goes to the top of the pane, under the separators before it and a line of
     * what was seen, once the window holds the message seen last (it is read again when they pushed it out).
     */
    private static void showArrivals(UiModel m, List<MessageLines.Line> lines, int rows) {
        UiModel.Arrivals a = m.arrivals;
        var w = m.state.window();
        if (a == null || !a.chat().equals(w.chat()) || w.messages().isEmpty()) return;
        if (w.messages().get(0).id() > a.seenId() && w.hasOlder()) return; // the window around it is on its way
        m.arrivals = null;
        long first = -1;
        for (var x : w.messages()) {
            if (x.id() > a.seenId() && x.byAnotherThan(m.state.myUUID())) {
                first = x.id();
                break;
            }
        }
        int top = 0;
        while (top < lines.size() && lines.get(top).messageId() != first) top++;
        if (first < 0 || top == lines.size()) return;
        while (top > 0 && lines.get(top - 1).messageId() < 0) top--;
        m.scroll = atTop(lines, top, rows);
    }

    /**
     * Newer messages came below an older stretch of the chat ({@link Navigator#loadNewerIfAny}): the view moves up by
     * their lines, so that it shows what it showed before they came.
     */
    private static void keepViewAboveNewer(UiModel m, List<MessageLines.Line> lines) {
        UiModel.NewerBelow n = m.newerBelow;
        if (n == null) return;
        var w = m.state.window();
        long last = w.messages().isEmpty() ? 0 : w.messages().get(w.messages().size() - 1).id();
        if (!n.chat().equals(w.chat()) || (last == n.lastId() && w.tail())) {
            m.newerBelow = null; // another chat, or nothing newer came
            return;
        }
        if (last == n.lastId()) return; // still on the way
        int at = MessageLines.endOf(lines, n.lastId());
        if (at > 0) m.scroll = Math.max(0, m.scroll + lines.size() - at - n.linesAfter() - n.linesDown());
        m.newerBelow = null;
    }

    /**
     * Scrolls just enough that the selected message's lines are on screen, with the time and sender line of its group
     * when it continues one (a search hit in the middle of someone's run of messages shows who wrote it and when), as
     * long as both fit.
     */
    private static void keepSelectionVisible(UiModel m, List<MessageLines.Line> lines, int rows) {
        if (m.selected == null || !m.selectionMoved) return;
        if (m.selectionIn != null && !m.selectionIn.equals(m.state.window().chat())) return; // its window is on the way
        int first = -1, last = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).messageId() == m.selected) {
                if (first < 0) first = i;
                last = i;
            }
        }
        // Not drawn yet (a jump's window is still being read): the request stands until the message is there.
        if (first < 0) return;
        m.selectionMoved = false;
        int header = first;
        while (header > 0 && !lines.get(header).opensGroup()) header--;
        if (lines.get(header).opensGroup() && last - header < rows) first = header;
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
            case SIGNED_OUT -> "signed out — run `novyse login`";
        };
        List<String> parts = new ArrayList<>();
        parts.add(s.account());
        parts.add(conn);
        if (s.outboxSize() > 0) parts.add("outbox " + s.outboxSize());
        if (s.refusedSize() > 0) parts.add(s.refusedSize() + " not sent"); // in their chats: /retry or /drop
        boolean flashing = m.flash != null && System.currentTimeMillis() < m.flashUntil;
        if (flashing) parts.add(m.flash);
        else if (s.problem() != null && s.connection() != AppState.Connection.LIVE) parts.add(s.problem());
        String right = keyName(KeyMap.Action.HELP) + " help ";
        int rx = c.cols - TextWidth.columns(right);
        String left = " " + String.join(" │ ", parts);
        // A message longer than the bar leaves the account's name out before it is cut (the name is the same all day).
        if (TextWidth.columns(left) > rx - 1 && parts.size() > 2) left = " " + String.join(" │ ", parts.subList(1, parts.size()));
        // Still too long: cut, saying where it can be read whole.
        if (flashing && TextWidth.columns(left) > rx - 1 && rx > 30) left = TextWidth.fit(left, rx - 1 - 7) + " (/log)";
        c.put(0, row, TextWidth.fit(left, Math.max(0, rx - 1)), st, rx - 1);
        c.put(rx, row, right, st, c.cols);
    }

    private String keyName(KeyMap.Action a) {
        List<String> k = keys.keysOf(a);
        return k.isEmpty() ? "(unbound)" : k.get(0);
    }
}
