package dev.novyse.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Member;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.PinnedMessage;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.Role;
import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Domain writes inside one transaction: every upsert is keyed by server ids, so applying the same input twice
 * leaves the same rows; every cursor moves with MAX so an older input never moves it back.
 * The sync engine decides what to apply and in which order; this class only knows how.
 */
public final class StoreWriter {
    /** Keys of {@code sync_state}. */
    public static final String LOCAL_EVENT_ID = "local.eventID";
    public static final String INITIALIZED = "initialized";
    public static final String ACCOUNT_USER_UUID = "account.userUUID";
    public static final String SKIPPED_PREFIX = "skipped.";

    private final Tx tx;

    // Facts learned in this transaction that spare statements on every message of a large page. Each one is kept
    // exact by this writer's own writes or dropped where a write could change it; a writer lives for one
    // transaction and is the only one writing these tables meanwhile.
    /** Per (chat, sub): {MAX(message.id)}, and that the chat_sub row exists. Dropped when subs or chats go. */
    private final Map<SubKey, long[]> subCursors = new HashMap<>();
    /** Whether the outbox holds SENT entries waiting for their message; null until first needed. */
    private Boolean sentInOutbox;

    private final MessageChildRows children;
    private final PinnedMessages pins;
    private final MessageStates states;
    private final AccountRows account;

    public StoreWriter(Tx tx) {
        this.tx = tx;
        this.children = new MessageChildRows(tx);
        this.pins = new PinnedMessages(tx);
        this.states = new MessageStates(tx);
        this.account = new AccountRows(this);
    }

    /** The account's own rows: pinned chats, favourites, synchronised settings. */
    public AccountRows account() {
        return account;
    }

    public Tx tx() {
        return tx;
    }

    // ---- sync_state -------------------------------------------------------------------------------------

    public void setState(String key, Object value) {
        tx.update("INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                key, value);
    }

    public Object state(String key) {
        return tx.queryValue("SELECT value FROM sync_state WHERE key = ?", key);
    }

    public long localEventId() {
        return tx.queryLong("SELECT value FROM sync_state WHERE key = ?", 0, LOCAL_EVENT_ID);
    }

    /** Moves the account's user-event cursor forward only. */
    public void advanceLocalEventId(long eventId) {
        tx.update("INSERT INTO sync_state(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE"
                + " SET value = MAX(CAST(value AS INTEGER), excluded.value)", LOCAL_EVENT_ID, eventId);
    }

    /** Counts a skipped input (e.g. {@code skipped.chatEvent.SOME_NEW_TYPE}) so it is visible, not silent. */
    public void countSkipped(String what) {
        tx.update("INSERT INTO sync_state(key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE"
                + " SET value = CAST(value AS INTEGER) + 1", SKIPPED_PREFIX + what);
    }

    /**
     * Drops everything that came from the server before a full initialize. The outbox and local-only settings
     * survive (docs/architecture.md#invariant-5: a re-initialize never drops unsent messages).
     */
    public void clearServerState() {
        subCursors.clear();
        states.forget();
        for (String table : List.of("chat", "user", "handle", "bot", "file", "pinned_chat")) {
            tx.update("DELETE FROM " + table); // chat cascades to subs, roles, members, messages and their rows
        }
        tx.update("DELETE FROM local_settings WHERE scope = 'synced'");
        tx.update("DELETE FROM sync_state WHERE key NOT LIKE ?", SKIPPED_PREFIX + "%");
    }

    // ---- users ------------------------------------------------------------------------------------------

    /** Upserts a profile; an older profile (smaller profileEventID) never overwrites a newer one. */
    public void upsertUser(User u) {
        require(u.uuid(), "user without uuid");
        long ev = u.profileEventID() == null ? 0 : u.profileEventID();
        tx.update("""
                INSERT INTO user(uuid, name, surname, handle, profilePictureUUID, bannerPictureUUID, biography,
                                 birthday, region, country, color, profileEventID)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, surname = excluded.surname,
                  handle = excluded.handle, profilePictureUUID = excluded.profilePictureUUID,
                  bannerPictureUUID = excluded.bannerPictureUUID, biography = excluded.biography,
                  birthday = excluded.birthday, region = excluded.region, country = excluded.country,
                  color = excluded.color, profileEventID = excluded.profileEventID
                WHERE excluded.profileEventID >= user.profileEventID""",
                u.uuid(), u.name() == null ? "" : u.name(), u.surname(), u.handle(), u.profilePictureUUID(),
                u.bannerPictureUUID(), u.biography(), u.birthday(), u.region(), u.country(), u.color(), ev);
        String current = (String) tx.queryValue("SELECT handle FROM user WHERE uuid = ?", u.uuid());
        setHandle("USER", "userUUID", u.uuid(), current);
    }

    public boolean userExists(String uuid) {
        return tx.exists("SELECT 1 FROM user WHERE uuid = ?", uuid);
    }

    public long profileEventId(String userUUID) {
        return tx.queryLong("SELECT profileEventID FROM user WHERE uuid = ?", -1, userUUID);
    }

    /**
     * Applies whichever profile fields the payload names (the public client's rule) and moves the user's
     * cursor forward. Returns false when the user is unknown locally.
     */
    public boolean applyProfileFields(String userUUID, ObjectNode payload, long eventId) {
        if (!userExists(userUUID)) return false;
        if (payload != null) {
            for (String field : ProfileEvent.FIELDS) {
                if (!payload.has(field)) continue;
                JsonNode v = payload.get(field);
                String value = v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
                if (field.equals("name") && value == null) value = "";
                // field comes from a fixed whitelist of column names, never from the wire
                tx.update("UPDATE user SET " + field + " = ? WHERE uuid = ?", value, userUUID);
                if (field.equals("handle")) setHandle("USER", "userUUID", userUUID, value);
            }
        }
        tx.update("UPDATE user SET profileEventID = MAX(profileEventID, ?) WHERE uuid = ?", eventId, userUUID);
        return true;
    }

    private void setHandle(String type, String ownerColumn, String owner, String handle) {
        tx.update("DELETE FROM handle WHERE " + ownerColumn + " = ? AND handle IS NOT ?", owner, handle);
        if (handle == null || handle.isBlank()) return;
        tx.update("INSERT INTO handle(handle, userUUID, chatUUID, botUUID, type) VALUES (?, ?, ?, NULL, ?)"
                        + " ON CONFLICT(handle) DO UPDATE SET userUUID = excluded.userUUID,"
                        + " chatUUID = excluded.chatUUID, botUUID = NULL, type = excluded.type",
                handle, ownerColumn.equals("userUUID") ? owner : null, ownerColumn.equals("chatUUID") ? owner : null,
                type);
    }

    // ---- chats ------------------------------------------------------------------------------------------

    public boolean chatExists(String chatUUID) {
        return tx.exists("SELECT 1 FROM chat WHERE uuid = ?", chatUUID);
    }

    /** The chat's event cursor, or -1 when the chat is not stored. */
    public long chatEventId(String chatUUID) {
        return tx.queryLong("SELECT eventID FROM chat WHERE uuid = ?", -1, chatUUID);
    }

    /**
     * Upserts a chat as full state: metadata, members, roles, subs and pinned messages are replaced — unless the
     * stored chat is already newer (a larger eventID), in which case only its embedded messages are applied.
     * Returns the number of embedded messages applied.
     */
    public int upsertChat(Chat c) {
        require(c.uuid(), "chat without uuid");
        String type = c.type() == null ? "GROUP" : c.type();
        long ev = c.eventID() == null ? 0 : c.eventID();
        long stored = chatEventId(c.uuid());
        // An unknown chat type from a newer server is recorded rather than failing the whole batch on the FK.
        tx.update("INSERT OR IGNORE INTO chat_type(value) VALUES (?)", type);
        if (stored < 0 || ev >= stored) {
            tx.update("""
                    INSERT INTO chat(uuid, type, name, description, profilePictureUUID, handle, eventID)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(uuid) DO UPDATE SET type = excluded.type, name = excluded.name,
                      description = excluded.description, profilePictureUUID = excluded.profilePictureUUID,
                      handle = excluded.handle, eventID = MAX(chat.eventID, excluded.eventID)""",
                    c.uuid(), type, c.name(), c.description(), c.profilePictureUUID(), c.handle(), ev);
            setHandle("CHAT", "chatUUID", c.uuid(), c.handle());
            replaceMembers(c.uuid(), c.members());
            replaceRoles(c.uuid(), c.roles());
            replaceSubs(c.uuid(), c.subs());
            replacePinnedMessages(c.uuid(), c.pinnedMessages());
        }
        int applied = 0;
        if (c.messages() != null) {
            for (Message m : c.messages()) {
                upsertMessage(m.chatUUID() == null ? withChat(m, c.uuid()) : m);
                applied++;
            }
        }
        return applied;
    }

    private static Message withChat(Message m, String chatUUID) {
        return new Message(m.id(), chatUUID, m.subID(), m.userUUID(), m.content(), m.type(), m.systemAction(),
                m.createdAt(), m.edited(), m.pinned(), m.pinnedAt(), m.pinnedBy(), m.replyTos(), m.files(),
                m.reads(), m.reactions(), m.deleted(), m.tempId());
    }

    private void replaceMembers(String chatUUID, List<Member> members) {
        tx.update("DELETE FROM member WHERE chatUUID = ?", chatUUID);
        if (members == null) return;
        for (Member m : members) {
            if (m.uuid() == null) continue;
            upsertMember(chatUUID, m.uuid(), m.roleIDs(), m.joinedAt());
        }
    }

    public void upsertMember(String chatUUID, String userUUID, List<Integer> roleIDs, String joinedAt) {
        tx.update("INSERT INTO member(userUUID, chatUUID, role_ids, joined_at) VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT(userUUID, chatUUID) DO UPDATE SET role_ids = excluded.role_ids,"
                        + " joined_at = COALESCE(excluded.joined_at, member.joined_at)",
                userUUID, chatUUID, toJson(roleIDs == null ? List.of() : roleIDs), joinedAt);
    }

    public void removeMember(String chatUUID, String userUUID) {
        tx.update("DELETE FROM member WHERE chatUUID = ? AND userUUID = ?", chatUUID, userUUID);
    }

    private void replaceRoles(String chatUUID, List<Role> roles) {
        tx.update("DELETE FROM role WHERE chatUUID = ?", chatUUID);
        if (roles == null) return;
        for (Role r : roles) {
            tx.update("INSERT OR REPLACE INTO role(chatUUID, id, name, permission, level, color) VALUES (?, ?, ?, ?, ?, ?)",
                    chatUUID, r.id(), r.name(), r.permission(), r.level(), r.color());
        }
    }

    private void replaceSubs(String chatUUID, List<Sub> subs) {
        if (subs == null) return; // an absent list says nothing; sub 0 always exists server-side
        subCursors.clear();
        tx.update("DELETE FROM chat_sub WHERE chatUUID = ?", chatUUID);
        for (Sub s : subs) upsertSub(chatUUID, s.id(), s.name(), s.type(), s.createdAt());
    }

    public void upsertSub(String chatUUID, int subID, String name, String type, String createdAt) {
        tx.update("INSERT INTO chat_sub(chatUUID, id, name, type, created_at) VALUES (?, ?, ?, ?, ?)"
                        + " ON CONFLICT(chatUUID, id) DO UPDATE SET name = excluded.name, type = excluded.type,"
                        + " created_at = COALESCE(chat_sub.created_at, excluded.created_at)",
                chatUUID, subID, name, type == null ? "DEFAULT" : type, createdAt);
    }

    public void renameSub(String chatUUID, int subID, String name, String type) {
        int n = tx.update("UPDATE chat_sub SET name = ?, type = COALESCE(?, type) WHERE chatUUID = ? AND id = ?",
                name, type, chatUUID, subID);
        if (n == 0) upsertSub(chatUUID, subID, name, type, null);
    }

    /** Deletes a sub and its messages (their child rows cascade). */
    public void deleteSub(String chatUUID, int subID) {
        subCursors.clear();
        states.forget();
        tx.update("DELETE FROM chat_sub WHERE chatUUID = ? AND id = ?", chatUUID, subID);
        tx.update("DELETE FROM message WHERE chatUUID = ? AND subID = ?", chatUUID, subID);
        tx.update("DELETE FROM pinned_message WHERE chatUUID = ? AND subID = ?", chatUUID, subID);
        tx.update("DELETE FROM favorite_message WHERE chatUUID = ? AND subID = ?", chatUUID, subID);
    }

    private void replacePinnedMessages(String chatUUID, List<PinnedMessage> pins) {
        tx.update("DELETE FROM pinned_message WHERE chatUUID = ?", chatUUID);
        if (pins == null) return;
        for (PinnedMessage p : pins) pinMessage(chatUUID, p.subID(), p.messageID(), p.pinnedAt(), p.pinnedBy());
    }

    public void renameChat(String chatUUID, String name) {
        tx.update("UPDATE chat SET name = ? WHERE uuid = ?", name, chatUUID);
    }

    public void describeChat(String chatUUID, String description) {
        tx.update("UPDATE chat SET description = ? WHERE uuid = ?", description, chatUUID);
    }

    /** A chat's new handle (null: none), in the chat row and the handle table. */
    public void changeChatHandle(String chatUUID, String handle) {
        tx.update("UPDATE chat SET handle = ? WHERE uuid = ?", handle, chatUUID);
        setHandle("CHAT", "chatUUID", chatUUID, handle);
    }

    /** A stored member's new roles; false when the member is not stored (nothing is added). */
    public boolean setMemberRoles(String chatUUID, String userUUID, List<Integer> roleIDs) {
        return tx.update("UPDATE member SET role_ids = ? WHERE chatUUID = ? AND userUUID = ?",
                toJson(roleIDs), chatUUID, userUUID) > 0;
    }

    /** Moves a chat's event cursor forward only. */
    public void advanceChatEventId(String chatUUID, long eventId) {
        tx.update("UPDATE chat SET eventID = MAX(eventID, ?) WHERE uuid = ?", eventId, chatUUID);
    }

    /** Drops a chat and everything of it (cascades); the outbox is deliberately kept. */
    public void removeChat(String chatUUID) {
        subCursors.clear();
        states.forget();
        tx.update("DELETE FROM handle WHERE chatUUID = ?", chatUUID);
        tx.update("DELETE FROM chat WHERE uuid = ?", chatUUID);
    }

    // ---- messages ---------------------------------------------------------------------------------------

    /** -1: not stored, 0: stored, 1: stored as a tombstone. */
    public int messageState(String chatUUID, int subID, long id) {
        return states.get(chatUUID, subID, id);
    }

    /** Learns the states of messages a page's events name, in a few statements (see {@link MessageStates}). */
    public void prefetchMessageStates(String chatUUID, int subID, java.util.Collection<Long> ids) {
        states.prefetch(chatUUID, subID, ids);
    }

    /** The per-(chat, sub) message cursor: the largest stored id (the outbox is never in this table). */
    public long maxMessageId(String chatUUID, int subID) {
        return tx.queryLong("SELECT MAX(id) FROM message WHERE chatUUID = ? AND subID = ?", 0, chatUUID, subID);
    }

    /**
     * Upserts a message with its current state and replaces its child rows (reactions, files, reads, replies,
     * pin) from that state; reads are merged (see mergeReads). Deletion is final: a tombstone never comes back to life. An outbox row carrying the
     * same tempId is removed, since the server has the message.
     */
    public void upsertMessage(Message m) {
        require(m.chatUUID(), "message without chatUUID");
        String chat = m.chatUUID();
        int sub = m.subID();
        long id = m.id();
        SubKey key = new SubKey(chat, sub);
        long[] cursor = subCursor(key);
        // Above the sub's cursor there is no row with this id, hence no child rows either (they reference it with
        // a foreign key): the common case of a sync, which then needs no state lookup and no child-row deletes.
        boolean fresh = id > cursor[0];
        boolean wasDeleted = !fresh && messageState(chat, sub, id) == 1;
        boolean deleted = wasDeleted || m.isDeleted();
        // Queued: a page's run of message rows goes to SQLite as one batch (Tx#queue); nothing reads its count.
        tx.queue("""
                INSERT INTO message(chatUUID, subID, id, senderUUID, content, type, system_action, created_at,
                                    edited, deleted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(chatUUID, subID, id) DO UPDATE SET
                  senderUUID = COALESCE(excluded.senderUUID, message.senderUUID),
                  content = excluded.content, type = excluded.type, system_action = excluded.system_action,
                  created_at = COALESCE(excluded.created_at, message.created_at),
                  edited = CASE WHEN excluded.deleted THEN 0 ELSE MAX(message.edited, excluded.edited) END,
                  deleted = excluded.deleted""",
                chat, sub, id, m.userUUID(), deleted ? null : m.content(), m.type() == null ? "message" : m.type(),
                m.systemAction(), m.createdAt(), !deleted && m.isEdited(), deleted);
        if (fresh) cursor[0] = id;
        states.set(chat, sub, id, deleted ? 1 : 0);
        if (deleted) {
            children.purgeDeletedContent(chat, sub, id);
            tx.update("INSERT OR IGNORE INTO deleted_message(chatUUID, subID, messageID) VALUES (?, ?, ?)", chat, sub, id);
            // A tombstone still carries read watermarks: whoever read up to it read everything before it.
            children.mergeReads(chat, sub, id, m.reads());
        } else {
            if (!fresh) children.clearRewritten(chat, sub, id);
            children.addReactions(chat, sub, id, m.reactions());
            children.addFiles(chat, sub, id, m.files());
            children.mergeReads(chat, sub, id, m.reads());
            children.addReplies(chat, sub, id, m.replyTos());
            if (Boolean.TRUE.equals(m.pinned())) pinMessage(chat, sub, id, m.pinnedAt(), m.pinnedBy());
            else if (Boolean.FALSE.equals(m.pinned())) pins.unpinIfPinned(chat, sub, id);
            // pinned absent: the message says nothing about its pin; keep what the chat's pin list said
        }
        if (m.tempId() != null) tx.update("DELETE FROM pending_message WHERE tempId = ?", m.tempId());
        if (sentInOutbox()) {
            tx.update("DELETE FROM pending_message WHERE state = 'SENT' AND chatUUID = ? AND subID = ?"
                    + " AND server_message_id = ?", chat, sub, id);
        }
    }

    /** Defers the full-text rows of messages inserted from now on: see {@link BulkPage}. */
    public void beginBulkMessages() {
        BulkPage.begin(tx);
    }

    /** Indexes the messages inserted since {@link #beginBulkMessages}, in this transaction: see {@link BulkPage}. */
    public void indexBulkMessages() {
        BulkPage.index(tx);
    }

    /** The per-(chat, sub) message cursor as this writer tracks it within its transaction. */
    public long messageCursor(String chatUUID, int subID) {
        return subCursor(new SubKey(chatUUID, subID))[0];
    }

    /**
     * The cached cursor of a (chat, sub), loaded on first use; making sure on the way that the sub has its chat_sub
     * row (unread counts walk chat_sub; a message of a sub the chat's list did not name still gets counted).
     */
    private long[] subCursor(SubKey key) {
        long[] cursor = subCursors.get(key);
        if (cursor == null) {
            tx.update("INSERT OR IGNORE INTO chat_sub(chatUUID, id, type) VALUES (?, ?, 'DEFAULT')", key.chat(), key.sub());
            cursor = new long[]{maxMessageId(key.chat(), key.sub())};
            subCursors.put(key, cursor);
        }
        return cursor;
    }

    private boolean sentInOutbox() {
        if (sentInOutbox == null) {
            sentInOutbox = tx.exists("SELECT 1 FROM pending_message WHERE state = 'SENT' LIMIT 1");
        }
        return sentInOutbox;
    }

    /**
     * A MESSAGE_EDITED event: new content (and files when the payload names them), the edited flag, and one
     * history row per edit event. Returns false when the message is unknown or a tombstone.
     */
    public boolean editMessage(String chat, int sub, long id, String content, List<FileRef> filesOrNull,
                               long eventId, String editedAt, String editorUUID) {
        if (messageState(chat, sub, id) != 0) return false;
        tx.update("UPDATE message SET content = ?, edited = 1 WHERE chatUUID = ? AND subID = ? AND id = ?",
                content, chat, sub, id);
        if (filesOrNull != null) children.replaceFiles(chat, sub, id, filesOrNull);
        tx.update("INSERT OR IGNORE INTO edited_message(chatUUID, subID, messageID, eventID, content, editedAt, editorUUID)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?)", chat, sub, id, eventId, content, editedAt, editorUUID);
        return true;
    }

    /** A MESSAGE_DELETED event: the row becomes a tombstone. Returns false when the message is unknown. */
    public boolean deleteMessage(String chat, int sub, long id, Long eventId, String deletedAt, String deletedBy) {
        if (messageState(chat, sub, id) < 0) return false;
        tx.update("UPDATE message SET content = NULL, deleted = 1, edited = 0 WHERE chatUUID = ? AND subID = ? AND id = ?",
                chat, sub, id);
        states.set(chat, sub, id, 1);
        children.purgeDeletedContent(chat, sub, id);
        tx.update("INSERT INTO deleted_message(chatUUID, subID, messageID, eventID, deletedAt, deletedBy)"
                        + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(chatUUID, subID, messageID) DO UPDATE SET"
                        + " eventID = COALESCE(deleted_message.eventID, excluded.eventID),"
                        + " deletedAt = COALESCE(deleted_message.deletedAt, excluded.deletedAt),"
                        + " deletedBy = COALESCE(deleted_message.deletedBy, excluded.deletedBy)",
                chat, sub, id, eventId, deletedAt, deletedBy);
        return true;
    }

    public void addReaction(String chat, int sub, long id, String userUUID, String reaction, String at) {
        children.addReaction(chat, sub, id, userUUID, reaction, at);
    }

    public void removeReaction(String chat, int sub, long id, String userUUID, String reaction) {
        children.removeReaction(chat, sub, id, userUUID, reaction);
    }

    public void pinMessage(String chat, int sub, long id, String pinnedAt, String pinnedBy) {
        pins.pin(chat, sub, id, pinnedAt, pinnedBy);
    }

    public void unpinMessage(String chat, int sub, long id) {
        pins.unpin(chat, sub, id);
    }

    /** Records a read watermark row; an existing row keeps its first readAt. */
    public void markRead(String chat, int sub, long id, String userUUID, String readAt) {
        children.markRead(chat, sub, id, userUUID, readAt);
    }

    static String toJson(Object value) {
        try {
            return Json.mapper().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode a value as JSON: " + StoreException.oneLine(e), e);
        }
    }

    private static void require(Object value, String what) {
        if (value == null) throw new StoreException("bad input: " + what);
    }
}
