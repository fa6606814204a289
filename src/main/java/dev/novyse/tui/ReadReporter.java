package dev.novyse.tui;

import dev.novyse.state.AppState;

/** Tells the server how far the person has read the open chat. */
final class ReadReporter {
    private final UiModel m;
    private final ServerCalls calls;

    ReadReporter(UiModel m, ServerCalls calls) {
        this.m = m;
        this.calls = calls;
    }

    /**
     * Marks the open chat read up to its newest message; with {@code force} (M-r, /read) also when scrolled away,
     * behind a dialog or offline. Called on every new state, so each watermark is asked for once (again only when
     * asking failed).
     */
    void markRead(boolean force) {
        AppState.ChatWindow w = m.state.window();
        if (!w.isOpen() || w.messages().isEmpty() || !w.tail()) return;
        if (!force && (m.scroll > 0 || m.overlay != null || m.state.connection() != AppState.Connection.LIVE)) return;
        long newest = w.messages().get(w.messages().size() - 1).id();
        long mine = w.reads().stream().filter(r -> r.userUUID().equals(m.state.myUUID()))
                .mapToLong(r -> r.messageID()).max().orElse(0);
        String key = w.chat().chatUUID() + "/" + w.chat().subID();
        if (newest <= mine || m.markedRead.getOrDefault(key, 0L) >= newest) return;
        m.markedRead.put(key, newest);
        calls.markRead(w.chat(), newest, () -> m.markedRead.remove(key));
    }
}
