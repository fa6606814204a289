package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.ChatSummary;

/**
 * Keeps {@link UiModel#rights} to the account's rights in the open chat, read from its roles there as the store holds
 * them: a CHANNEL's members read and react but only its admins post, so the composer says so and keeps what is typed
 * rather than queueing a message the server refuses; only admins are offered to delete others' messages. Read again
 * when another chat opens or the open chat's events move (a role granted or taken is one).
 */
final class ChatRights {
    private final UiModel m;
    private final StoreReads reads;
    /** The open chat and its event cursor when its rights were last asked for. */
    private String askedFor;

    ChatRights(UiModel m, StoreReads reads) {
        this.m = m;
        this.reads = reads;
    }

    /** A new state. */
    void update() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null) return;
        String chat = open.chatUUID();
        ChatSummary listed = m.chat(chat);
        String asking = chat + "@" + (listed == null ? "" : listed.eventID());
        if (asking.equals(askedFor)) return;
        askedFor = asking;
        reads.rights(chat, known -> {
            AppState.OpenChat now = m.state.window().chat();
            if (now == null || !now.chatUUID().equals(chat)) return; // another chat opened meanwhile: its own read comes
            m.rights = known.orElse(null);
            m.rightsIn = chat;
        });
    }
}
