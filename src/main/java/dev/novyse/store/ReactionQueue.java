package dev.novyse.store;

import java.util.List;

/**
 * Reactions added or taken back while the server was unreachable (offline-first: a reaction is queued as a
 * message is). The latest toggle of an emoji on a message replaces an earlier one still waiting; a row goes once
 * the server accepted or refused it.
 */
public final class ReactionQueue {
    private final LocalDatabase db;

    ReactionQueue(LocalDatabase db) {
        this.db = db;
    }

    public void add(String chatUUID, int subID, long messageID, String emoji, boolean adding) {
        db.inTransaction(tx -> {
            OutboxQueries.queueReaction(tx, chatUUID, subID, messageID, emoji, adding);
            return null;
        });
    }

    /** The reactions waiting, oldest first. */
    public List<PendingReaction> pending() {
        return db.queuedReactions();
    }

    /** Sent, or refused for good: gone (a newer toggle of the same emoji, with its own id, stays). */
    public void settle(long id) {
        db.inTransaction(tx -> tx.update("DELETE FROM pending_reaction WHERE id = ?", id));
    }

    /** Counts one failed attempt. */
    public void markAttempt(long id, String error) {
        db.inTransaction(tx -> tx.update("UPDATE pending_reaction SET attempts = attempts + 1, last_error = ?"
                + " WHERE id = ?", error, id));
    }
}
