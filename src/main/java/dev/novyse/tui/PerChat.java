package dev.novyse.tui;

import dev.novyse.state.AppState;

import java.util.HashMap;
import java.util.Map;

/**
 * What each chat keeps while another one is open: its draft (in the store, so a restart keeps it too) and how far
 * it was scrolled. The composer and the scroll position belong to the open chat; leaving it puts them away,
 * entering another brings that one's back. An unfinished edit of a sent message is no draft: it is dropped.
 *
 * <p>While a chat is open, what its composer holds is also written to the store every {@link #KEEP_EVERY_NANOS}
 * when it changed ({@link #keep}), so that a crash, a lost SSH connection or a SIGKILL loses a second of typing, not
 * the draft.
 */
final class PerChat {
    private final UiModel m;
    private final StoreReads reads;
    /** How often a changed draft is written while typing goes on. */
    static final long KEEP_EVERY_NANOS = 1_000_000_000L;

    private final Map<String, Integer> scrolls = new HashMap<>();
    private String chatUUID;
    private int subID;
    /** The open chat's draft as the store has it; null until the store's answer came back (nothing to compare). */
    private String kept;
    private long keptAt;

    PerChat(UiModel m, StoreReads reads) {
        this.m = m;
        this.reads = reads;
    }

    /** True when {@code chatUUID}/{@code subID} is the chat whose draft the composer holds. */
    boolean isCurrent(String chatUUID, int subID) {
        return chatUUID.equals(this.chatUUID) && subID == this.subID;
    }

    /** Puts the open chat's draft and scroll position away (before the view is reset for another chat). */
    void leave() {
        if (chatUUID == null) return;
        scrolls.put(key(chatUUID, subID), m.scroll);
        if (m.editing == null) reads.saveDraft(chatUUID, subID, m.composer.text());
        kept = null;
    }

    /** Brings a chat's draft and (unless {@code restoreScroll} is false: a jump to a message) its scroll back. */
    void enter(String chatUUID, int subID, boolean restoreScroll) {
        this.chatUUID = chatUUID;
        this.subID = subID;
        this.kept = null;
        m.composer.clear();
        m.scroll = restoreScroll ? scrolls.getOrDefault(key(chatUUID, subID), 0) : 0;
        reads.draft(chatUUID, subID, text -> {
            // Not over what was typed meanwhile, nor into a chat left again before the store answered.
            if (!isCurrent(chatUUID, subID)) return;
            kept = text;
            if (m.composer.isEmpty() && m.editing == null) m.composer.set(text);
        });
    }

    /**
     * Called by the screen's loop: writes the open chat's draft when it changed since the store last had it and
     * {@link #KEEP_EVERY_NANOS} passed since the last write. Not before the stored draft was read (it would be
     * overwritten by an empty composer), nor during an edit of a sent message (no draft).
     */
    void keep(long now) {
        if (chatUUID == null || kept == null || m.editing != null || now - keptAt < KEEP_EVERY_NANOS) return;
        String text = m.composer.text();
        if (text.equals(kept)) return;
        reads.saveDraft(chatUUID, subID, text);
        kept = text;
        keptAt = now;
    }

    /** A new state: the chat the screen opened by itself at start (the last one open) gets its draft back. */
    void opened(AppState.OpenChat chat) {
        if (this.chatUUID == null && chat != null) enter(chat.chatUUID(), chat.subID(), true);
    }

    /** Quitting: the open chat's draft is kept (queued behind the other reads, which the app lets finish). */
    void quit() {
        if (chatUUID != null && m.editing == null) reads.saveDraft(chatUUID, subID, m.composer.text());
    }

    private static String key(String chatUUID, int subID) {
        return chatUUID + "/" + subID;
    }
}
