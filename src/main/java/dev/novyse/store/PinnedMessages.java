package dev.novyse.store;

import java.util.HashSet;
import java.util.Set;

/**
 * The pinned_message rows of one {@link StoreWriter}'s transaction: pins and unpins, and which messages may be pinned
 * at all. That is a superset, loaded once and grown by {@link #pin}, kept per message rather than per sub: a message
 * stored with {@code pinned: false} needs no unpin unless it is in here, and an unpin is a statement that also ends
 * the run of queued message rows ({@link Tx#queue}), which a sub with any pin paid on every message of a page.
 */
final class PinnedMessages {
    private final Tx tx;
    private Set<MessageKey> mayBePinned;

    PinnedMessages(Tx tx) {
        this.tx = tx;
    }

    void pin(String chat, int sub, long id, String pinnedAt, String pinnedBy) {
        if (mayBePinned != null) mayBePinned.add(new MessageKey(chat, sub, id));
        tx.update("INSERT INTO pinned_message(chatUUID, subID, messageID, pinned_at, pinned_by) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT(chatUUID, subID, messageID) DO UPDATE SET"
                        + " pinned_at = COALESCE(excluded.pinned_at, pinned_message.pinned_at),"
                        + " pinned_by = COALESCE(excluded.pinned_by, pinned_message.pinned_by)",
                chat, sub, id, pinnedAt, pinnedBy);
    }

    void unpin(String chat, int sub, long id) {
        tx.update("DELETE FROM pinned_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", chat, sub, id);
    }

    /** Unpins a message unless it cannot be pinned (the common case of a page's messages: no statement). */
    void unpinIfPinned(String chat, int sub, long id) {
        if (mayBePinned == null) {
            mayBePinned = new HashSet<>();
            for (Object[] r : tx.queryRows("SELECT chatUUID, subID, messageID FROM pinned_message")) {
                mayBePinned.add(new MessageKey((String) r[0], ((Number) r[1]).intValue(), ((Number) r[2]).longValue()));
            }
        }
        if (mayBePinned.contains(new MessageKey(chat, sub, id))) unpin(chat, sub, id);
    }
}
