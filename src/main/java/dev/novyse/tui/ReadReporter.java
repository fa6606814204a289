package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.ReadMarker;
import dev.novyse.store.SubUnread;

/** Tells the server how far the person has read the open chat (with M-r in a forum: every sub of it). */
final class ReadReporter {
    private final UiModel m;
    private final ServerCalls calls;
    private final StoreReads reads;

    ReadReporter(UiModel m, ServerCalls calls, StoreReads reads) {
        this.m = m;
        this.calls = calls;
        this.reads = reads;
    }

    /**
     * Marks the open chat read up to its newest message; with {@code force} (M-r, /read) also when scrolled away,
     * behind a dialog or offline. Called after every frame, so each watermark is asked for once (again only when
     * asking failed).
     */
    void markRead(boolean force) {
        AppState.ChatWindow w = m.state.window();
        if (force && w.isOpen() && isForum(w.chat().chatUUID())) {
            markForumRead(w.chat().chatUUID());
            return;
        }
        if (!w.isOpen() || w.messages().isEmpty() || !w.tail()) return;
        // The view is about to move (to the first unread message, or above newer ones just loaded): not read yet.
        if (!force && (m.toFirstUnread != null || m.newerBelow != null || m.arrivals != null)) return;
        if (!force && (m.scroll > 0 || m.overlay != null || m.state.connection() != AppState.Connection.LIVE)) return;
        long newest = w.messages().get(w.messages().size() - 1).id();
        long mine = ReadMarker.upTo(w.reads(), m.state.myUUID());
        String key = w.chat().chatUUID() + "/" + w.chat().subID();
        if (newest <= mine || m.markedRead.getOrDefault(key, 0L) >= newest) return;
        m.markedRead.put(key, newest);
        calls.markRead(w.chat(), newest, () -> m.markedRead.remove(key));
    }

    private boolean isForum(String chatUUID) {
        var chat = m.chat(chatUUID);
        return chat != null && "FORUM".equals(chat.type());
    }

    /** M-r or /read in a forum: every sub with unread messages is marked read up to its newest one. */
    private void markForumRead(String forum) {
        reads.subUnread(forum, counts -> {
            int marked = 0;
            for (SubUnread u : counts) {
                if (u.unreadCount() == 0 || u.newestId() == 0) continue;
                String key = forum + "/" + u.subID();
                m.markedRead.merge(key, u.newestId(), Math::max);
                calls.markRead(new AppState.OpenChat(forum, u.subID()), u.newestId(), () -> m.markedRead.remove(key));
                marked++;
            }
            m.flash(marked == 0 ? "nothing unread here" : "marked " + marked + (marked == 1 ? " sub" : " subs") + " read", false);
        });
    }
}
