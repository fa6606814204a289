package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.state.AppState;
import dev.novyse.state.StateDriver;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.store.SubUnread;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where the person is: which chat is open, the chat list's cursor, the focused pane, the selected message and the
 * scroll position; and the chat list's keys, which only move between chats. Opening a chat asks the
 * {@link StateDriver}, which loads it in the background.
 */
final class Navigator {
    private final UiModel m;
    private final KeyMap keys;
    private final StateDriver driver;
    private final Renderer renderer;
    private final StoreReads reads;
    private final PerChat perChat;
    /** Per expanded forum, the counts its subs' counts were read for ("unread/mentions/newest"). */
    private final Map<String, String> countedAt = new HashMap<>();
    /** Moves away from the open chat when it is gone from the list. */
    private final GoneChat gone;
    /** A sub started here and opened, until the store lists it (until then it is not taken for deleted). */
    private AppState.OpenChat started;

    Navigator(UiModel m, KeyMap keys, StateDriver driver, Renderer renderer, StoreReads reads) {
        this.m = m;
        this.keys = keys;
        this.driver = driver;
        this.renderer = renderer;
        this.reads = reads;
        this.perChat = new PerChat(m, reads);
        this.gone = new GoneChat(m, perChat, driver, reads, (chat, sub) -> {
            open(chat, sub);
            cursorTo(new UiModel.ChatRow(chat, sub, false));
        });
    }

    /**
     * A new state (or a forum's subs) changes the chat list: the cursor stays on the chat or sub it was on, wherever
     * that one is now (live activity re-sorts the list; Enter must open what the cursor showed).
     */
    void changeList(Runnable change) {
        List<UiModel.ChatRow> before = m.chatRows();
        List<ChatSummary> listedBefore = m.state.chats();
        UiModel.ChatRow at = before.isEmpty() ? null : before.get(Math.min(m.chatRow, before.size() - 1));
        change.run();
        perChat.opened(m.state.window().chat());
        recountExpandedForums();
        gone.check();
        gone.others(listedBefore);
        if (at == null) return;
        List<UiModel.ChatRow> after = m.chatRows();
        int i = after.indexOf(at);
        if (i < 0) { // a folded sub: its forum's row
            for (int j = 0; j < after.size() && i < 0; j++) if (after.get(j).chatUUID().equals(at.chatUUID())) i = j;
        }
        if (i >= 0) m.chatRow = i;
    }

    /**
     * A new state from the store. The first chat window the screen gets (the chat open at start) opens at its first
     * unread message as a chat entered does; a window that grew at its end by more of other people's messages than
     * the pane shows below what was on the screen keeps them to be read from the first ({@link UiModel#arrivals}).
     */
    void newState(AppState next) {
        AppState.ChatWindow before = m.state.window();
        // Right after a switch the window is still the chat left until the new one is read: only the window of the
        // chat the person is in (whose draft and scroll the screen holds) is anchored, held or opened at its unread.
        Anchor anchor = current(before) ? anchor() : null;
        changeList(() -> m.state = next);
        AppState.ChatWindow w = m.state.window();
        if (!current(w)) return;
        if (anchor != null && w.chat().equals(before.chat()) && w != before) keep(anchor);
        if (m.scroll != 0 || m.newerBelow != null || m.arrivals != null) return;
        if (!before.isOpen()) {
            m.toFirstUnread = w.chat();
        } else if (w.chat().equals(before.chat()) && before.tail() && w.tail() && !before.messages().isEmpty()
                && m.toFirstUnread == null && !(m.focus == UiModel.Focus.MESSAGES && m.selected != null)) {
            holdArrivals(before.messages().get(before.messages().size() - 1).id());
        }
    }

    private boolean current(AppState.ChatWindow w) {
        return w.isOpen() && perChat.isCurrent(w.chat().chatUUID(), w.chat().subID());
    }

    /**
     * Scrolled up in the open chat: the message at the view's bottom and how many of its lines are below the view
     * (negative: lines of no message under it in view), so that a new state (a message below, a reaction or edit above,
     * read markers moving) leaves the view on the same lines; null when the view follows the newest or is about to
     * move anyway.
     */
    private Anchor anchor() {
        if (m.scroll <= 0 || !m.state.window().isOpen() || m.newerBelow != null || m.arrivals != null
                || m.toFirstUnread != null || m.selectionMoved) return null;
        List<MessageLines.Line> lines = lines();
        int viewEnd = lines.size() - Math.min(m.scroll, Math.max(0, lines.size() - renderer.paneRows));
        for (int i = viewEnd - 1; i >= 0; i--) {
            long id = lines.get(i).messageId();
            if (id >= 0) return new Anchor(id, MessageLines.endOf(lines, id) - viewEnd);
        }
        return null;
    }

    private void keep(Anchor anchor) {
        List<MessageLines.Line> lines = lines();
        int end = MessageLines.endOf(lines, anchor.messageId());
        if (end > 0) m.scroll = Math.max(0, lines.size() - (end - anchor.linesBelow()));
    }

    private record Anchor(long messageId, int linesBelow) {
    }

    /** The open chat's lines as the last frame laid them out (at its width). */
    private List<MessageLines.Line> lines() {
        return renderer.lines(m, Math.max(1, m.paneWidth));
    }

    private void holdArrivals(long seen) {
        AppState.ChatWindow w = m.state.window();
        String me = m.state.myUUID();
        boolean fromOthers = false;
        for (int i = w.messages().size() - 1; i >= 0 && w.messages().get(i).id() > seen && !fromOthers; i--) {
            fromOthers = w.messages().get(i).byAnotherThan(me);
        }
        if (!fromOthers) return;
        List<MessageLines.Line> lines = lines();
        int end = MessageLines.endOf(lines, seen);
        if (end > 0 && lines.size() - end < renderer.paneRows) return; // they fit: the view follows as always
        m.arrivals = new UiModel.Arrivals(w.chat(), seen);
        // So many that the window's slice lost what was on the screen: read again around it (the newer ones page in).
        if (end == 0) driver.openAt(w.chat().chatUUID(), w.chat().subID(), seen);
    }

    /**
     * An expanded forum whose counts, newest message or chat events changed gets its subs read again (a sub started,
     * renamed or deleted is a chat event that moves neither counts nor the newest message).
     */
    private void recountExpandedForums() {
        java.util.Set<String> forums = new java.util.LinkedHashSet<>(m.expanded);
        AppState.OpenChat open = m.state.window().chat(); // folded, its open sub must still learn it was deleted
        if (open != null && open.subID() != 0) forums.add(open.chatUUID());
        for (String forum : forums) {
            ChatSummary s = m.chat(forum);
            if (s == null) continue;
            String seen = s.unreadCount() + "/" + s.mentionCount() + "/" + s.lastMessageAt() + "/" + s.eventID();
            if (!seen.equals(countedAt.put(forum, seen))) loadSubs(forum, null);
        }
    }

    /** Reads a forum's subs and their counts; then {@code then} (if any) gets the counts. */
    private void loadSubs(String forum, Consumer<List<SubUnread>> then) {
        reads.subs(forum, (subs, counts) -> {
            Map<Integer, SubUnread> bySub = new HashMap<>();
            for (SubUnread u : counts) bySub.put(u.subID(), u);
            changeList(() -> {
                m.subs.put(forum, subs);
                m.subCounts.put(forum, bySub);
            });
            // The open sub deleted (here or by another admin): the forum's first sub instead of an empty window. A sub
            // just started here is not deleted while the store has yet to hear of it; once listed it is heard of,
            // whether or not its window is open yet (that comes from the driver's thread, and lost this race).
            AppState.OpenChat open = m.state.window().chat();
            AppState.OpenChat heard = started;
            if (heard != null && heard.chatUUID().equals(forum) && subs.stream().anyMatch(sub -> sub.id() == heard.subID())) {
                started = null;
                if (perChat.isCurrent(forum, heard.subID())) cursorTo(new UiModel.ChatRow(forum, heard.subID(), true));
            }
            if (open != null && open.chatUUID().equals(forum) && open.subID() != 0) {
                boolean listed = subs.stream().anyMatch(sub -> sub.id() == open.subID());
                if (!listed && !open.equals(started)) {
                    String draft = perChat.draftText();
                    open(forum, 0);
                    if (!draft.isBlank()) {
                        perChat.carry(forum, 0, draft);
                        m.flash("that sub was deleted; your draft is here in " + m.subName(forum, 0) + " now", false);
                    } else {
                        m.flash("that sub was deleted; here is " + m.subName(forum, 0), false);
                    }
                }
            }
            if (then != null) then.accept(counts);
        });
    }

    /** Quitting: what the open chat's composer holds is kept as its draft. */
    void quit() {
        perChat.quit();
    }

    /** See {@link PerChat#keep}. */
    void keepDraft(long now) {
        perChat.keep(now);
    }

    /** Keys while the chat list has the focus. */
    void chatsKey(KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character ? k.getCharacter() : 0;
        if (t == KeyType.ArrowUp || c == 'k') moveChat(-1, false);
        else if (t == KeyType.ArrowDown || c == 'j') moveChat(1, false);
        else if (t == KeyType.Home) m.chatRow = 0;
        else if (t == KeyType.End) m.chatRow = Math.max(0, m.chatRows().size() - 1);
        else if (keys.is(k, KeyMap.Action.OPEN)) {
            List<UiModel.ChatRow> rows = m.chatRows();
            if (rows.isEmpty()) return;
            UiModel.ChatRow r = rows.get(Math.min(m.chatRow, rows.size() - 1));
            boolean forum = isForum(r);
            openRow(r, forum);
            // On a forum's row Right only folds or unfolds its subs; Enter does that and moves on to the composer too.
            if (!forum || t == KeyType.Enter) m.focus = UiModel.Focus.COMPOSER;
        } else if (t == KeyType.ArrowLeft) {
            List<UiModel.ChatRow> rows = m.chatRows();
            if (!rows.isEmpty()) m.expanded.remove(rows.get(Math.min(m.chatRow, rows.size() - 1)).chatUUID());
        } else if (t == KeyType.Escape) {
            m.focus = UiModel.Focus.COMPOSER;
        }
    }

    /** The chat of the chat list's selected row (a forum's sub row: its forum), if the list has rows. */
    java.util.Optional<String> selectedChat() {
        List<UiModel.ChatRow> rows = m.chatRows();
        if (rows.isEmpty()) return java.util.Optional.empty();
        return java.util.Optional.of(rows.get(Math.min(m.chatRow, rows.size() - 1)).chatUUID());
    }

    /** Tab / Shift-Tab: the next pane, skipping the message pane while it has no messages to select. */
    void cycleFocus(int dir) {
        UiModel.Focus[] order = UiModel.Focus.values();
        UiModel.Focus next = order[Math.floorMod(m.focus.ordinal() + dir, order.length)];
        if (next == UiModel.Focus.MESSAGES) {
            List<MessageView> msgs = m.state.window().messages();
            if (msgs.isEmpty()) next = order[Math.floorMod(next.ordinal() + dir, order.length)];
            else if (m.selected == null) select(msgs.get(msgs.size() - 1).id());
        }
        if (next == UiModel.Focus.CHATS) m.showList = true;
        m.focus = next;
    }

    void moveChat(int dir, boolean open) {
        List<UiModel.ChatRow> rows = m.chatRows();
        if (rows.isEmpty()) return;
        m.chatRow = Math.max(0, Math.min(rows.size() - 1, m.chatRow + dir));
        if (open) openRow(rows.get(m.chatRow), false);
    }

    /**
     * M-u: the next chat after the cursor with something unread, muted chats skipped; in a forum, the first sub
     * that has it (an expanded forum's subs are rows of their own and are visited as such). The open chat is not
     * "next": it may still count as unread for a moment after it opened (the read mark is on its way), and a second
     * M-u then went back into it instead of on.
     */
    void nextUnread() {
        List<UiModel.ChatRow> rows = m.chatRows();
        Map<String, ChatSummary> byId = m.chatsById();
        java.time.Instant now = java.time.Instant.now();
        AppState.OpenChat open = m.state.window().chat();
        for (int i = 1; i <= rows.size(); i++) {
            int idx = Math.floorMod(m.chatRow + i, rows.size());
            UiModel.ChatRow r = rows.get(idx);
            ChatSummary s = byId.get(r.chatUUID());
            if (s == null || m.state.muted(r.chatUUID(), now)) continue; // muted: never jumped to
            if (open != null && open.chatUUID().equals(r.chatUUID()) && (r.isSub() ? r.subID() == open.subID() : !isForum(r))) {
                continue;
            }
            if (r.isSub()) {
                SubUnread u = m.subCount(r);
                if (u == null || u.unreadCount() == 0) continue;
            } else if (s.unreadCount() <= 0) {
                continue;
            } else if (isForum(r)) {
                if (m.expanded.contains(r.chatUUID()) && m.subCounts.containsKey(r.chatUUID())) continue;
                openUnreadSub(r.chatUUID());
                return;
            }
            m.chatRow = idx;
            openRow(r, false);
            m.focus = UiModel.Focus.COMPOSER;
            return;
        }
        m.flash("no unread messages", false);
    }

    /** Unfolds a forum and opens its first sub with unread messages (sub 0 when the counts say none). */
    private void openUnreadSub(String forum) {
        changeList(() -> m.expanded.add(forum));
        loadSubs(forum, counts -> {
            int sub = counts.stream().filter(u -> u.unreadCount() > 0).mapToInt(SubUnread::subID).findFirst().orElse(0);
            int idx = m.chatRows().indexOf(new UiModel.ChatRow(forum, sub, true));
            if (idx >= 0) m.chatRow = idx;
            open(forum, sub);
            m.focus = UiModel.Focus.COMPOSER;
        });
    }

    /** A mouse click: on a chat list row opens that chat; elsewhere moves focus there. */
    void click(int col, int row) {
        if (col < m.listWidth) {
            int idx = m.chatListTop + row - 1;
            List<UiModel.ChatRow> rows = m.chatRows();
            if (row >= 1 && idx < rows.size()) {
                m.chatRow = idx;
                openRow(rows.get(idx), true);
            }
            m.focus = UiModel.Focus.CHATS;
        } else {
            m.focus = UiModel.Focus.COMPOSER;
        }
    }

    /** A forum's own row (not one of its subs): opening it also lists its subs, and may fold or unfold them. */
    private boolean isForum(UiModel.ChatRow r) {
        ChatSummary s = m.chat(r.chatUUID());
        return s != null && "FORUM".equals(s.type()) && !r.isSub();
    }

    private void openRow(UiModel.ChatRow r, boolean toggleForum) {
        if (isForum(r)) {
            String forum = r.chatUUID();
            if (toggleForum && !m.expanded.remove(forum)) m.expanded.add(forum);
            loadSubs(forum, null);
        }
        open(r.chatUUID(), r.subID());
    }

    private void open(String chatUUID, int subID) {
        AppState.OpenChat now = m.state.window().chat();
        if (now != null && now.chatUUID().equals(chatUUID) && now.subID() == subID) return;
        switchTo(chatUUID, subID, true);
        // At its first unread message only when no scroll position of its own came back (that one is of its newest).
        driver.open(chatUUID, subID, m.toFirstUnread != null);
    }

    /**
     * Opens a chat, or a forum's sub, chosen by name (the chat switcher): the list's cursor goes to it (a sub's forum
     * unfolds) and the composer gets the focus.
     */
    void openChosen(String chatUUID, int subID, boolean isSub) {
        UiModel.ChatRow row = new UiModel.ChatRow(chatUUID, subID, isSub);
        if (isSub) changeList(() -> m.expanded.add(chatUUID));
        ChatSummary s = m.chat(chatUUID);
        if (s != null && "FORUM".equals(s.type())) loadSubs(chatUUID, counts -> cursorTo(row));
        cursorTo(row);
        open(chatUUID, subID);
        m.focus = UiModel.Focus.COMPOSER;
    }

    private void cursorTo(UiModel.ChatRow row) {
        int i = m.chatRows().indexOf(row);
        if (i >= 0) m.chatRow = i;
    }

    /**
     * Opens a sub just started in {@code forum}, as if chosen by name; the list shows its row once the store hears
     * of it (the sub's event, live or by the next update), when the forum's subs are read again.
     */
    void openCreatedSub(String forum, int subID) {
        started = new AppState.OpenChat(forum, subID);
        openChosen(forum, subID, true);
    }

    /** Opens a chat just joined or created, at its first sub; also when it is the open one, to show it anew. */
    void openCreated(String chatUUID) {
        switchTo(chatUUID, 0, true);
        driver.open(chatUUID, 0, false);
    }

    /** The chat being left keeps its draft and scroll position; the one entered gets its own back. */
    private void switchTo(String chatUUID, int subID, boolean restoreScroll) {
        if (started != null && !started.equals(new AppState.OpenChat(chatUUID, subID))) started = null;
        boolean same = perChat.isCurrent(chatUUID, subID);
        if (!same) perChat.leave();
        resetChatView();
        if (!same) perChat.enter(chatUUID, subID, restoreScroll);
        m.toFirstUnread = !same && restoreScroll && m.scroll == 0 ? new AppState.OpenChat(chatUUID, subID) : null;
    }

    /** Opens a chat at a message (a search hit, a pin) and selects that message. */
    void jumpTo(String chatUUID, int subID, long messageId) {
        switchTo(chatUUID, subID, false);
        List<UiModel.ChatRow> rows = m.chatRows();
        for (int i = 0; i < rows.size(); i++) {
            if (rows.get(i).chatUUID().equals(chatUUID) && rows.get(i).subID() == subID) m.chatRow = i;
        }
        driver.openAt(chatUUID, subID, messageId);
        select(messageId);
        m.selectionIn = new AppState.OpenChat(chatUUID, subID);
        m.focus = UiModel.Focus.MESSAGES;
    }

    /** The view of the chat being left (a reply or an edit under way is {@link PerChat}'s, kept with the draft). */
    private void resetChatView() {
        m.scroll = 0;
        m.newerBelow = null; // a page still on its way belongs to the chat being left
        m.arrivals = null;
        m.selected = null;
        if (m.focus == UiModel.Focus.MESSAGES) m.focus = UiModel.Focus.COMPOSER;
    }

    /** See {@link PerChat#startEdit}. */
    void startEdit(MessageView message, String text) {
        perChat.startEdit(message, text);
    }

    /** See {@link PerChat#restoreEdit}. */
    void restoreEdit(MessageView message, String text) {
        perChat.restoreEdit(message, text);
    }

    /** See {@link PerChat#endEdit}. */
    void endEdit() {
        perChat.endEdit();
    }

    void select(long id) {
        m.selected = id;
        m.selectionMoved = true;
        m.selectionIn = m.state.window().chat();
    }

    /**
     * Scrolls {@code lines} up (positive) or down; scrolling up to the oldest loaded line loads older messages, down
     * to the newest loaded one of an older stretch (after a jump) newer ones.
     */
    void scroll(int lines) {
        m.arrivals = null; // the person moves the view themselves
        if (lines < 0 && m.newerBelow != null) { // newer messages on their way: this goes down into them once here
            m.newerBelow = m.newerBelow.down(Math.max(0, -lines - m.scroll));
        }
        m.scroll = Math.max(0, m.scroll + lines);
        List<MessageLines.Line> all = lines();
        if (lines > 0 && m.scroll + renderer.paneRows >= all.size() && m.state.window().hasOlder()) driver.loadOlder();
        if (lines < 0 && m.scroll == 0) loadNewerIfAny(all);
    }

    /**
     * Loads the next page of newer messages when the window shows an older stretch of the chat; the view stays where
     * it is when they come (the lines after the last message loaded now are remembered for {@link Renderer}).
     */
    void loadNewerIfAny() {
        loadNewerIfAny(lines());
    }

    private void loadNewerIfAny(List<MessageLines.Line> all) {
        AppState.ChatWindow w = m.state.window();
        if (!w.isOpen() || w.tail() || w.messages().isEmpty() || m.newerBelow != null) return;
        long last = w.messages().get(w.messages().size() - 1).id();
        m.newerBelow = new UiModel.NewerBelow(w.chat(), last, all.size() - MessageLines.endOf(all, last), 0);
        driver.loadNewer();
    }

    /** PageUp (1) / PageDown (-1): a pane's height less one line, which stays in view for context. */
    void scrollPage(int dir) {
        scroll(dir * (renderer.paneRows - 1));
    }

    /** Back to the newest message, loading it when the window shows an older stretch of the chat. */
    void latest() {
        m.scroll = 0;
        m.newerBelow = null;
        m.toFirstUnread = null;
        m.arrivals = null;
        m.selected = null;
        if (m.focus == UiModel.Focus.MESSAGES) m.focus = UiModel.Focus.COMPOSER;
        if (!m.state.window().tail()) driver.jumpToLatest();
    }

    /** Loads older messages when the window does not reach the chat's start yet. */
    void loadOlderIfAny() {
        if (m.state.window().hasOlder()) driver.loadOlder();
    }
}
