package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.protocol.Sub;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.SubUnread;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The chat switcher (C-k, {@code /open TEXT}): the chats and forum subs matching what is typed, best first
 * ({@link ChatFilter}), filtered again with every key. Up and Down choose, Enter opens the chosen one through the
 * {@link Navigator} (which keeps each chat's draft and scroll position), Esc leaves everything as it was.
 */
final class ChatSwitcher {
    private final UiModel m;
    private final StoreReads reads;
    private final Navigator nav;

    ChatSwitcher(UiModel m, StoreReads reads, Navigator nav) {
        this.m = m;
        this.reads = reads;
        this.nav = nav;
    }

    /**
     * Opens the dialog with {@code initial} typed. The forums' subs are read in the background and join the list as
     * they come. With {@code openSingle} ({@code /open TEXT}), a single match, once every sub is read, is opened
     * without asking.
     */
    void open(String initial, boolean openSingle) {
        UiModel.Switcher s = new UiModel.Switcher();
        s.query.set(initial);
        s.openSingle = openSingle;
        m.overlay = s;
        filter(s, false);
        List<ChatSummary> forums = m.state.chats().stream().filter(c -> "FORUM".equals(c.type())).toList();
        s.forumsToRead = forums.size();
        for (ChatSummary forum : forums) {
            reads.subs(forum.uuid(), (subs, counts) -> {
                if (m.overlay != s) return;
                s.subs.put(forum.uuid(), forumSubs(subs, counts));
                s.forumsToRead--;
                filter(s, true);
                openIfSingle(s);
            });
        }
        openIfSingle(s);
    }

    void key(UiModel.Switcher s, KeyStroke k) {
        KeyType t = k.getKeyType();
        int last = Math.max(0, s.shown.size() - 1);
        s.openSingle = false; // a key pressed meanwhile: the person chooses
        if (t == KeyType.ArrowUp) s.selected = Math.max(0, s.selected - 1);
        else if (t == KeyType.ArrowDown) s.selected = Math.min(last, s.selected + 1);
        else if (t == KeyType.PageUp) s.selected = Math.max(0, s.selected - 10);
        else if (t == KeyType.PageDown) s.selected = Math.min(last, s.selected + 10);
        else if (t == KeyType.Enter) {
            if (!s.shown.isEmpty()) choose(s.shown.get(Math.min(s.selected, last)));
        } else if (s.query.edit(k)) {
            filter(s, false);
        }
    }

    private void openIfSingle(UiModel.Switcher s) {
        if (!s.openSingle || s.forumsToRead > 0 || m.overlay != s) return;
        s.openSingle = false;
        // One match (not one by scattered letters alone: /open ann never opens "Café Zoë"), or the one whose whole
        // name was typed among longer ones (/open Help: the forum, not Help / general)
        List<ChatFilter.Choice> exact = s.shown.stream().filter(ChatFilter.Choice::exact).toList();
        if (s.shown.size() == 1 && !s.shown.get(0).loose()) choose(s.shown.get(0));
        else if (exact.size() == 1) choose(exact.get(0));
    }

    private void choose(ChatFilter.Choice c) {
        m.overlay = null;
        if (m.chat(c.chatUUID()) == null) { // listed when the switcher opened, gone since (left, or removed)
            m.flash("that chat is no longer among yours", true);
            return;
        }
        nav.openChosen(c.chatUUID(), c.subID(), c.isSub());
    }

    /**
     * Lists the matches anew from the current chat list. A new query chooses the best match; subs arriving keep the
     * chosen row chosen, so a background read never moves what Enter opens.
     */
    private void filter(UiModel.Switcher s, boolean keepChosen) {
        ChatFilter.Choice was = keepChosen && !s.shown.isEmpty() ? s.shown.get(Math.min(s.selected, s.shown.size() - 1)) : null;
        s.shown = ChatFilter.rank(m.state.chats(), s.subs, s.query.text());
        s.selected = 0;
        for (int i = 0; was != null && i < s.shown.size(); i++) {
            ChatFilter.Choice c = s.shown.get(i);
            if (c.chatUUID().equals(was.chatUUID()) && c.subID() == was.subID() && c.isSub() == was.isSub()) s.selected = i;
        }
    }

    private static List<ChatFilter.ForumSub> forumSubs(List<Sub> subs, List<SubUnread> counts) {
        Map<Integer, Integer> unread = new HashMap<>();
        for (SubUnread u : counts) unread.put(u.subID(), u.unreadCount());
        List<ChatFilter.ForumSub> out = new ArrayList<>();
        for (Sub sub : subs) {
            String name = sub.name() == null ? "sub " + sub.id() : sub.name();
            out.add(new ChatFilter.ForumSub(sub.id(), name, unread.getOrDefault(sub.id(), 0)));
        }
        return out;
    }
}
