package dev.novyse.state;

import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MemberView;
import dev.novyse.store.MessageView;
import dev.novyse.store.PinnedMessageView;
import dev.novyse.store.SubUnread;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * The reads a screen makes on demand, beside the snapshots the {@link StateDriver} publishes: a chat's sub-channels,
 * full-text search, a chat's pinned messages and members, and who the account is. Each is one query on the local store; call
 * them off the UI thread when they may be slow (search). Drafts are written here too: they belong to the screen, not
 * to the account's synced state.
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
        return db.search(ftsQuery, null, limit, superseded);
    }

    /** The pinned messages of a chat. */
    public List<PinnedMessageView> pinnedMessages(String chatUUID) {
        return db.pinnedMessages(chatUUID);
    }

    /** A stored profile. */
    public Optional<User> user(String userUUID) {
        return db.user(userUUID);
    }

    /** The account's favourite messages that are stored, most recently favourited first. */
    public List<MessageView> favorites(int limit) {
        return db.favorites(limit);
    }

    /** The members of a chat with their stored names and handles (for completing a mention), by name. */
    public List<MemberView> members(String chatUUID) {
        return db.members(chatUUID);
    }

    /** The rights a role's {@code permission} names, as novyse's server writes it (docs/protocol.md#permissions). */
    private static final java.util.Set<String> RIGHTS = java.util.Set.of("SEND", "EDIT_OWN", "DELETE_OWN", "REACT", "PIN",
            "DELETE_ANY", "EDIT_CHAT", "MANAGE_SUBS", "INVITE", "KICK", "BAN", "MANAGE_ADMINS", "TRANSFER_OWNERSHIP");

    /**
     * The account's rights in a chat ({@code SEND}, {@code DELETE_ANY}, … as its roles there list them), or empty when
     * they are not known: no roles of the account's stored there, a role the chat does not list, or a
     * {@code permission} that is not novyse's list of rights (the public format says only "text"; another server's
     * may mean anything). The server decides then.
     */
    public Optional<java.util.Set<String>> accountRights(String chatUUID) {
        List<dev.novyse.protocol.Role> roles = db.accountRoles().get(chatUUID);
        if (roles == null || roles.isEmpty()) return Optional.empty();
        java.util.Set<String> rights = new java.util.HashSet<>();
        for (dev.novyse.protocol.Role r : roles) {
            if (r.permission() == null) return Optional.empty();
            for (String right : r.permission().split(",")) {
                if (right.isBlank()) continue;
                if (!RIGHTS.contains(right.strip())) return Optional.empty();
                rights.add(right.strip());
            }
        }
        return rights.isEmpty() ? Optional.empty() : Optional.of(rights);
    }

    /** A chat's list entry (title, type), if the store has it. */
    public Optional<ChatSummary> chat(String chatUUID) {
        return db.chat(chatUUID);
    }

    /** Each sub's unread and mention counts and newest message id (a forum's topics). */
    public List<SubUnread> subUnread(String chatUUID) {
        return db.subUnread(chatUUID);
    }

    /** What was typed in a chat's sub and not sent ("" when nothing). */
    public String draft(String chatUUID, int subID) {
        return db.draft(chatUUID, subID);
    }

    /** Keeps a chat's draft across chat switches and restarts; blank text removes it. */
    public void saveDraft(String chatUUID, int subID, String text) {
        db.saveDraft(chatUUID, subID, text);
    }

    /** People the store knows by {@code @handle}, handle or display name (the CLI's way of naming them). */
    public List<User> findUsers(String wanted) {
        return db.findUsers(wanted);
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
