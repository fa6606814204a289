package dev.novyse.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored state of messages within one {@link StoreWriter}'s transaction: -1 not stored, 0 stored, 1 a
 * tombstone. A page's events ask it for nearly every event (an edit, a reaction, a pin, a read needs its message
 * stored); {@link #prefetch} answers a page's worth with one statement per 500 ids instead of one per event, and the
 * writer keeps what it learned exact by its own writes ({@link #set}) or drops it where rows go ({@link #forget}).
 */
final class MessageStates {
    /** Ids per prefetch statement: one prepared statement of a fixed shape, padded with ids no message has. */
    private static final int CHUNK = 500;
    private static final String PREFETCH = "SELECT id, deleted FROM message WHERE chatUUID = ? AND subID = ? AND id IN ("
            + String.join(", ", java.util.Collections.nCopies(CHUNK, "?")) + ")";

    private final Tx tx;
    private final Map<MessageKey, Integer> known = new HashMap<>();

    MessageStates(Tx tx) {
        this.tx = tx;
    }

    int get(String chat, int sub, long id) {
        Integer state = known.get(new MessageKey(chat, sub, id));
        if (state != null) return state;
        return (int) tx.queryLong("SELECT deleted FROM message WHERE chatUUID = ? AND subID = ? AND id = ?", -1,
                chat, sub, id);
    }

    void set(String chat, int sub, long id, int state) {
        known.put(new MessageKey(chat, sub, id), state);
    }

    /** Rows went (a sub's or a chat's messages): nothing learned before may still hold. */
    void forget() {
        known.clear();
    }

    /** Learns the states of {@code ids} of one (chat, sub). */
    void prefetch(String chat, int sub, Collection<Long> ids) {
        List<Long> wanted = new ArrayList<>();
        for (long id : ids) {
            if (!known.containsKey(new MessageKey(chat, sub, id))) wanted.add(id);
        }
        for (int from = 0; from < wanted.size(); from += CHUNK) {
            List<Long> chunk = wanted.subList(from, Math.min(wanted.size(), from + CHUNK));
            Object[] args = new Object[2 + CHUNK];
            args[0] = chat;
            args[1] = sub;
            for (int i = 0; i < CHUNK; i++) args[2 + i] = i < chunk.size() ? chunk.get(i) : -1L;
            for (long id : chunk) known.put(new MessageKey(chat, sub, id), -1);
            for (Object[] row : tx.queryRows(PREFETCH, args)) {
                known.put(new MessageKey(chat, sub, ((Number) row[0]).longValue()), ((Number) row[1]).intValue());
            }
        }
    }
}
