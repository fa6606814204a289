package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;

import java.util.HashMap;
import java.util.Map;

/**
 * What each chat keeps while another one is open: its draft (in the store, so a restart keeps it too) and how far
 * it was scrolled, and a reply being written or an edit of a sent message under way (in memory, for as long as the
 * screen runs). The composer and the scroll position belong to the open chat; leaving it puts them away, entering
 * another brings that one's back. An edit's text is no draft: the draft waits in the store while the edit is made and
 * comes back to the composer when it is saved or cancelled.
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
    private final Map<String, Composing> composing = new HashMap<>();

    /** What the composer was doing in a chat left meanwhile: answering {@code replyTo}, or editing with {@code text}. */
    private record Composing(MessageView replyTo, MessageView editing, String text) {
    }

    private String chatUUID;
    private int subID;
    /** The open chat's draft as the store has it; null until the store's answer came back (nothing to compare). */
    private String kept;
    /** True while the chat the screen opened by itself at start is entered: its draft coming back is said. */
    private boolean atStart;
    private boolean startedOnce;
    /** Text brought along from a chat that is gone ({@link #carry}), added to the draft of the one entered. */
    private Carried carried;
    /** The last chat gone with no other to open ({@link #forget}): its stored draft holds the composer's text. */
    private Carried orphaned;
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
        String key = key(chatUUID, subID);
        scrolls.put(key, m.scroll);
        if (m.replyTo != null || m.editing != null) composing.put(key, new Composing(m.replyTo, m.editing, m.composer.text()));
        else composing.remove(key);
        // Not an empty composer over a stored draft not read yet (entered and left before the store answered).
        if (m.editing == null && (kept != null || !m.composer.isEmpty())) reads.saveDraft(chatUUID, subID, m.composer.text());
        m.replyTo = null;
        m.editing = null;
        kept = null;
    }

    /** Brings a chat's draft and (unless {@code restoreScroll} is false: a jump to a message) its scroll back. */
    void enter(String chatUUID, int subID, boolean restoreScroll) {
        // Written while no chat was open (the last one gone): it goes into this one's draft, and out of the gone
        // chat's, where it was kept meanwhile.
        if (this.chatUUID == null && !m.composer.isEmpty()) carried = new Carried(chatUUID, subID, m.composer.text());
        if (this.chatUUID == null && orphaned != null) {
            reads.saveDraft(orphaned.chatUUID(), orphaned.subID(), "");
            orphaned = null;
        }
        this.chatUUID = chatUUID;
        this.subID = subID;
        this.kept = null;
        m.composer.clear();
        m.scroll = restoreScroll ? scrolls.getOrDefault(key(chatUUID, subID), 0) : 0;
        Composing was = composing.remove(key(chatUUID, subID));
        if (was != null) {
            m.replyTo = was.replyTo();
            m.editing = was.editing();
            if (was.editing() != null) m.composer.set(was.text());
        }
        boolean announce = atStart; // read now: the store answers later
        reads.draft(chatUUID, subID, text -> {
            // Not over what was typed meanwhile, nor into a chat left again before the store answered.
            if (!isCurrent(chatUUID, subID)) return;
            Carried c = carried != null && carried.chatUUID().equals(chatUUID) && carried.subID() == subID ? carried : null;
            if (c != null) carried = null;
            String with = c == null ? text : text.isEmpty() ? c.text() : text + "\n" + c.text();
            kept = with;
            if (!with.equals(text)) reads.saveDraft(chatUUID, subID, with);
            if (m.editing != null) return; // an edit under way: the draft waits in the store and comes back after it
            if (m.composer.isEmpty()) {
                m.composer.set(with);
                // At start the composer's text is easy to miss: a command typed after it went out as a message.
                if (announce && !with.isBlank()) m.flash("your draft from before is in the composer", false);
            } else if (!with.equals(text)) m.composer.set(m.composer.text() + "\n" + with); // typed meanwhile: both
        });
    }

    /** Text brought along into one chat's draft. */
    private record Carried(String chatUUID, int subID, String text) {
    }

    /**
     * The open chat is gone (a forum's sub deleted) and {@code chatUUID}/{@code subID} is entered instead: what its
     * composer held (or, during an edit, its draft) goes along into that one's draft rather than into a draft no chat
     * shows.
     */
    void carry(String chatUUID, int subID, String text) {
        carried = new Carried(chatUUID, subID, text);
    }

    /** All the composer holds for the person in the open chat: its draft, and during an edit the edit's text too. */
    String heldText() {
        if (m.editing == null) return m.composer.text();
        String draft = kept == null ? "" : kept;
        String edit = m.composer.text();
        return draft.isBlank() ? edit : edit.isBlank() ? draft : draft + "\n" + edit;
    }

    /**
     * The open chat is gone and none opens instead: it keeps no reply or edit, and {@code text} (what the composer
     * held) goes into the next chat entered ({@link #enter}). Until then it stays the gone chat's stored draft, so that
     * a crash or a lost connection meanwhile does not lose it (the chat's draft comes back if it is joined again).
     */
    void forget(String text) {
        if (chatUUID != null) {
            reads.saveDraft(chatUUID, subID, text);
            composing.remove(key(chatUUID, subID));
            orphaned = new Carried(chatUUID, subID, text);
        }
        chatUUID = null;
        kept = null;
        m.replyTo = null;
        m.editing = null;
    }

    /** What the open chat's draft is now: the composer, or during an edit the draft kept aside. */
    String draftText() {
        return m.editing == null ? m.composer.text() : kept == null ? "" : kept;
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

    /** An edit of {@code message} starts with {@code text}: what the composer held is kept as the chat's draft. */
    void startEdit(MessageView message, String text) {
        // Not before the stored draft was read (kept null): an empty composer then is no draft, the store's stands.
        if (chatUUID != null && m.editing == null && kept != null) {
            kept = m.composer.text();
            reads.saveDraft(chatUUID, subID, kept);
        }
        m.editing = message;
        m.replyTo = null;
        m.composer.set(text);
    }

    /**
     * An edit the server refused comes back: into the composer when its chat is the open one, else to that chat's
     * reply-or-edit kept for when it is entered again (unless another is kept there).
     */
    void restoreEdit(MessageView message, String text) {
        if (isCurrent(message.chatUUID(), message.subID())) {
            if (m.editing == null) startEdit(message, text);
        } else {
            composing.putIfAbsent(key(message.chatUUID(), message.subID()), new Composing(null, message, text));
        }
    }

    /** The edit was saved or cancelled: the draft comes back. */
    void endEdit() {
        if (m.editing == null) return;
        m.editing = null;
        m.composer.set(kept == null ? "" : kept);
    }

    /** A new state: the chat the screen opened by itself at start (the last one open) gets its draft back. */
    void opened(AppState.OpenChat chat) {
        if (this.chatUUID == null && chat != null && !chat.chatUUID().equals(m.goneChat)) {
            m.goneChat = null;
            atStart = !startedOnce; // not when a chat comes after the last one went (that text was typed just now)
            startedOnce = true;
            enter(chat.chatUUID(), chat.subID(), true);
            atStart = false;
        }
    }

    /** Quitting: the open chat's draft is kept (queued behind the other reads, which the app lets finish). */
    void quit() {
        if (chatUUID != null && m.editing == null) reads.saveDraft(chatUUID, subID, m.composer.text());
    }

    private static String key(String chatUUID, int subID) {
        return chatUUID + "/" + subID;
    }
}
