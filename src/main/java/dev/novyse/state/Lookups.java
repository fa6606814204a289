package dev.novyse.state;

import dev.novyse.protocol.Sub;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.PinnedMessageView;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The reads a screen makes on demand, beside the snapshots the {@link StateDriver} publishes: a chat's sub-channels,
 * full-text search, a chat's pinned messages, and who the account is. Each is one query on the local store; call
 * them off the UI thread when they may be slow (search).
 */
public final class Lookups {
    private final LocalDatabase db;

    public Lookups(LocalDatabase db) {
        this.db = Objects.requireNonNull(db);
    }

    /** The sub-channels of a chat (a forum's topics), as stored. */
    public List<Sub> subs(String chatUUID) {
        return db.subs(chatUUID);
    }

    /**
     * Messages matching an FTS5 query, newest first, at most {@code limit}; empty when {@code superseded} said so
     * before the query finished (a newer query was typed).
     */
    public Optional<List<MessageView>> search(String ftsQuery, int limit, BooleanSupplier superseded) {
        return db.search(ftsQuery, limit, superseded);
    }

    /** The pinned messages of a chat. */
    public List<PinnedMessageView> pinnedMessages(String chatUUID) {
        return db.pinnedMessages(chatUUID);
    }

    /** A chat's list entry (title, type), if the store has it. */
    public Optional<ChatSummary> chat(String chatUUID) {
        return db.chat(chatUUID);
    }

    /** The account's user uuid; empty before the first sync. */
    public Optional<String> accountUserUUID() {
        return db.accountUserUUID();
    }

    /** The account's own handle (for mentions), once a sync stored its profile. */
    public Optional<String> accountHandle() {
        return db.accountHandle();
    }
}
