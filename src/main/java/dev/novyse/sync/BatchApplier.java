package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.FavoriteMessage;
import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.PinnedChat;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.StoreException;
import dev.novyse.store.StoreWriter;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies server batches to the store inside a caller's transaction. Each step is a public method so a single
 * live event can go through the same code in its own transaction later. Rules: rows are keyed by server ids,
 * events at or below their cursor are skipped, cursors only move forward, unknown event types are counted and
 * skipped, events naming messages not stored are skipped (the message arrives later with its current state).
 */
public final class BatchApplier {
    /** Test seam: called after each pipeline step with the step's name; throwing aborts the batch. */
    @FunctionalInterface
    interface StepHook {
        void after(String step);
    }

    private StepHook hook = step -> { };

    void setHook(StepHook hook) {
        this.hook = hook == null ? step -> { } : hook;
    }

    // ---- whole replies ----------------------------------------------------------------------------------

    /** A full initialize: server state is replaced (the outbox is kept), then the account is marked initialized. */
    public void applyInitialize(StoreWriter w, InitializeData data, ApplyStats stats) {
        InitializeData.Local local = data.local();
        if (local == null || local.user() == null || local.user().uuid() == null) {
            throw ApiException.badReply("malformed reply to GET /user/initialize: no local.user", null);
        }
        String account = local.user().uuid();
        Object stored = w.state(StoreWriter.ACCOUNT_USER_UUID);
        if (stored != null && !stored.toString().equals(account)) {
            throw new StoreException("this database belongs to account " + stored + ", not " + account);
        }
        w.clearServerState();
        w.setState(StoreWriter.ACCOUNT_USER_UUID, account);
        w.upsertUser(local.user());
        if (local.user().eventID() != null) w.advanceLocalEventId(local.user().eventID());
        hook.after("local");
        applyNewUsers(w, data.users(), stats);
        applyNewChats(w, data.chats(), stats);
        if (local.pinnedChats() != null) {
            for (PinnedChat p : local.pinnedChats()) w.account().pinChat(p.chatUUID(), p.position());
        }
        if (local.settings() != null) {
            for (Map.Entry<String, JsonNode> e : local.settings().entrySet()) w.account().putSetting(e.getKey(), e.getValue(), null);
        }
        if (local.favoriteMessages() != null) {
            for (FavoriteMessage f : local.favoriteMessages()) w.account().favorite(f);
        }
        applyMessages(w, data.messages(), stats);
        w.setState(StoreWriter.INITIALIZED, 1);
        hook.after("initialized");
    }

    /**
     * An update reply in the fixed order: removed chats → new chats → new users → messages → chat events →
     * profile events → local user events. Removed chats go first so that a chat both removed and re-created in
     * one reply ends up present.
     */
    public void applyUpdate(StoreWriter w, UpdateData data, ApplyStats stats) {
        UpdateData.Chats chats = data.chats();
        UpdateData.Users users = data.users();
        // The page's full-text work waits for its end and goes in rowid order: its new rows, and the old rows its
        // events rewrite (a catch-up edits and deletes messages all over the store; see BulkPage).
        w.beginBulkMessages();
        if (chats != null) removeChats(w, chats.removed(), stats);
        if (chats != null) applyNewChats(w, chats.created(), stats);
        if (users != null) applyNewUsers(w, users.created(), stats);
        if (data.messages() != null) {
            storeMessages(w, data.messages(), stats);
            hook.after("messages");
        }
        if (chats != null) applyChatEvents(w, chats.events(), stats);
        if (users != null) applyProfileEvents(w, users.events(), stats);
        applyUserEvents(w, data.local(), stats);
        w.indexBulkMessages();
        hook.after("indexed");
    }

    // ---- steps ------------------------------------------------------------------------------------------

    public void removeChats(StoreWriter w, List<String> removed, ApplyStats stats) {
        if (removed == null) return;
        for (String uuid : removed) {
            if (uuid != null && w.chatExists(uuid)) {
                w.removeChat(uuid);
                stats.removedChats++;
            }
        }
        hook.after("removed");
    }

    public void applyNewChats(StoreWriter w, List<Chat> chats, ApplyStats stats) {
        if (chats == null) return;
        for (Chat c : chats) {
            stats.messages += w.upsertChat(c);
            stats.chats++;
        }
        hook.after("chats");
    }

    public void applyNewUsers(StoreWriter w, List<User> users, ApplyStats stats) {
        if (users == null) return;
        for (User u : users) {
            w.upsertUser(u);
            stats.users++;
        }
        hook.after("users");
    }

    /**
     * Messages are trusted only as gap-free runs: ids are dense per (chat, sub), so an id above the sub's cursor + 1
     * means the reply lost messages, and storing it would move the cursor past them for good. Such a reply, or one
     * with messages of a chat the client does not have, is refused as a bad reply (the transaction rolls back).
     */
    public void applyMessages(StoreWriter w, List<Message> messages, ApplyStats stats) {
        if (messages == null) return;
        w.beginBulkMessages();
        storeMessages(w, messages, stats);
        w.indexBulkMessages();
        hook.after("messages");
    }

    /** {@link #applyMessages} with the full-text work left to the caller's {@link StoreWriter#indexBulkMessages}. */
    private void storeMessages(StoreWriter w, List<Message> messages, ApplyStats stats) {
        java.util.Set<String> knownChats = new java.util.HashSet<>();
        for (Message m : messages) {
            String chat = m.chatUUID();
            if (chat == null || !(knownChats.contains(chat) || (w.chatExists(chat) && knownChats.add(chat)))) {
                throw new ApiException(ApiException.Kind.BAD_REPLY, 0, "BAD_REPLY",
                        "the server sent a message of a chat this account does not have (" + chat + ")");
            }
            long cursor = w.messageCursor(chat, m.subID());
            if (m.id() > cursor + 1) {
                throw new ApiException(ApiException.Kind.BAD_REPLY, 0, "BAD_REPLY", "the server's reply skips message ids "
                        + (cursor + 1) + ".." + (m.id() - 1) + " of chat " + chat + " sub " + m.subID());
            }
            w.upsertMessage(m);
            stats.messages++;
            if (stats.messages % 1000 == 0) hook.after("messages:" + stats.messages);
        }
    }

    public void applyChatEvents(StoreWriter w, List<ChatEvent> events, ApplyStats stats) {
        if (events == null) return;
        prefetchMessageStates(w, events);
        Map<String, Long> cursors = new HashMap<>();
        for (ChatEvent e : inApplyOrder(events)) {
            if (e.chatUUID() == null) {
                stats.skippedOther++;
                continue;
            }
            long cursor = cursors.computeIfAbsent(e.chatUUID(), w::chatEventId);
            if (cursor < 0 || e.id() <= cursor) { // chat not stored, or already applied
                stats.skippedOther++;
                continue;
            }
            switch (applyChatEvent(w, e)) {
                case APPLIED -> stats.chatEvents++;
                case UNKNOWN -> {
                    stats.skippedUnknown++;
                    w.countSkipped("chatEvent." + e.type());
                }
                case SKIPPED -> stats.skippedOther++;
            }
            // Every event advances the cursor, MEMBER_LEFT included (unlike the public client, docs/protocol.md#s9.3).
            cursors.put(e.chatUUID(), e.id());
        }
        // Once per stored chat, in the events' transaction (a catch-up of thousands of events wrote it per event);
        // a chat whose events were all applied before gets its own cursor again, which moves nothing.
        cursors.forEach((chat, id) -> {
            if (id >= 0) w.advanceChatEventId(chat, id);
        });
        hook.after("chatEvents");
    }

    /** The states of the messages a batch of events names, learned up front: a catch-up has thousands. */
    private static void prefetchMessageStates(StoreWriter w, List<ChatEvent> events) {
        if (events.size() < 2) return; // a live event: one lookup either way
        Map<String, Map<Integer, java.util.Set<Long>>> named = new HashMap<>();
        for (ChatEvent e : events) {
            if (e.chatUUID() == null || e.payload() == null || !e.payload().has("messageID")) continue;
            long msg = e.payload().path("messageID").asLong(-1);
            if (msg < 0) continue;
            named.computeIfAbsent(e.chatUUID(), k -> new HashMap<>())
                    .computeIfAbsent(e.payload().path("subID").asInt(0), k -> new java.util.HashSet<>()).add(msg);
        }
        named.forEach((chat, subs) -> subs.forEach((sub, ids) -> w.prefetchMessageStates(chat, sub, ids)));
    }

    /** Chat events in the order they are applied: by chat, then by event id. */
    static List<ChatEvent> inApplyOrder(List<ChatEvent> events) {
        List<ChatEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(ChatEvent::chatUUID, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(ChatEvent::id));
        return sorted;
    }

    /** The sub a chat event deletes (with its messages), or null when it deletes none. */
    static Integer deletedSub(ChatEvent e) {
        if (!ChatEvent.SUB_DELETED.equals(e.type()) || e.payload() == null || !e.payload().has("subID")) return null;
        return e.payload().path("subID").asInt(0);
    }

    /** What one event did: changed the store, was skipped (names nothing stored), or is of an unknown type. */
    public enum Outcome { APPLIED, SKIPPED, UNKNOWN }

    /**
     * The stored state of the message an event names (see {@link StoreWriter#messageState}); -1 for an event that
     * names none. Asked only by the events that need it: edits and deletions check it themselves.
     */
    private static int messageState(StoreWriter w, String chat, int sub, long msg) {
        return msg < 0 ? -1 : w.messageState(chat, sub, msg);
    }

    /** The effect of one chat event; the caller has checked the cursor and advances it. */
    public Outcome applyChatEvent(StoreWriter w, ChatEvent e) {
        ObjectNode p = e.payload() == null ? Json.mapper().createObjectNode() : e.payload();
        String chat = e.chatUUID();
        String type = e.type() == null ? "" : e.type();
        int sub = p.path("subID").asInt(0);
        long msg = p.path("messageID").asLong(-1);
        String actor = e.userUUID();
        switch (type) {
            case ChatEvent.MESSAGE_EDITED -> {
                List<FileRef> files = p.has("files") && p.get("files").isArray() ? files(p.get("files")) : null;
                return outcome(w.editMessage(chat, sub, msg, text(p, "content"), files, e.id(), e.createdAt(), actor));
            }
            case ChatEvent.MESSAGE_DELETED -> {
                return outcome(w.deleteMessage(chat, sub, msg, e.id(), e.createdAt(), actor));
            }
            case ChatEvent.REACTION_ADDED, ChatEvent.REACTION_REMOVED -> {
                String reaction = text(p, "reaction") != null ? text(p, "reaction") : text(p, "emoji");
                String user = text(p, "userUUID") != null ? text(p, "userUUID") : actor;
                if (reaction == null || user == null || messageState(w, chat, sub, msg) != 0) {
                    return Outcome.SKIPPED;
                }
                if (type.equals(ChatEvent.REACTION_ADDED)) {
                    w.addReaction(chat, sub, msg, user, reaction, e.createdAt());
                } else {
                    w.removeReaction(chat, sub, msg, user, reaction);
                }
                return Outcome.APPLIED;
            }
            case ChatEvent.MESSAGE_PINNED -> {
                if (messageState(w, chat, sub, msg) != 0) return Outcome.SKIPPED;
                String at = text(p, "pinnedAt") != null ? text(p, "pinnedAt") : e.createdAt();
                String by = text(p, "pinnedBy") != null ? text(p, "pinnedBy") : actor;
                w.pinMessage(chat, sub, msg, at, by);
                return Outcome.APPLIED;
            }
            case ChatEvent.MESSAGE_UNPINNED -> {
                w.unpinMessage(chat, sub, msg);
                return outcome(messageState(w, chat, sub, msg) >= 0);
            }
            case ChatEvent.MESSAGE_READ -> {
                String user = text(p, "userUUID") != null ? text(p, "userUUID") : actor;
                if (user == null || messageState(w, chat, sub, msg) < 0) return Outcome.SKIPPED;
                w.markRead(chat, sub, msg, user, text(p, "readAt") != null ? text(p, "readAt") : e.createdAt());
                return Outcome.APPLIED;
            }
            case ChatEvent.SUB_CREATED -> {
                if (!p.has("subID")) return Outcome.SKIPPED;
                w.upsertSub(chat, sub, text(p, "name"), text(p, "type"), e.createdAt());
                return Outcome.APPLIED;
            }
            case ChatEvent.SUB_RENAMED -> {
                if (!p.has("subID")) return Outcome.SKIPPED;
                w.renameSub(chat, sub, text(p, "name"), text(p, "type"));
                return Outcome.APPLIED;
            }
            case ChatEvent.SUB_DELETED -> {
                Integer deleted = deletedSub(e);
                if (deleted == null) return Outcome.SKIPPED;
                w.deleteSub(chat, deleted);
                return Outcome.APPLIED;
            }
            case ChatEvent.MEMBER_JOINED -> {
                String user = text(p, "userUUID") != null ? text(p, "userUUID") : actor;
                if (user == null) return Outcome.SKIPPED;
                List<Integer> roles = new ArrayList<>();
                JsonNode r = p.has("roleIDs") ? p.get("roleIDs") : p.path("roles");
                if (r.isArray()) r.forEach(n -> roles.add(n.asInt()));
                w.upsertMember(chat, user, roles, e.createdAt());
                return Outcome.APPLIED;
            }
            case ChatEvent.MEMBER_LEFT -> {
                String user = text(p, "userUUID") != null ? text(p, "userUUID") : actor;
                if (user == null) return Outcome.SKIPPED;
                w.removeMember(chat, user);
                return Outcome.APPLIED;
            }
            case ChatEvent.CHAT_RENAMED -> {
                if (!p.has("name")) return Outcome.SKIPPED;
                w.renameChat(chat, text(p, "name"));
                return Outcome.APPLIED;
            }
            case ChatEvent.CHAT_DESCRIPTION_CHANGED -> {
                w.describeChat(chat, text(p, "description"));
                return Outcome.APPLIED;
            }
            case ChatEvent.CHAT_HANDLE_CHANGED -> {
                w.changeChatHandle(chat, text(p, "handle"));
                return Outcome.APPLIED;
            }
            case ChatEvent.MEMBER_ROLES_CHANGED -> {
                String user = text(p, "userUUID");
                if (user == null || !p.path("roleIDs").isArray()) return Outcome.SKIPPED;
                List<Integer> roles = new ArrayList<>();
                p.get("roleIDs").forEach(n -> roles.add(n.asInt()));
                return outcome(w.setMemberRoles(chat, user, roles));
            }
            case ChatEvent.MEMBER_BANNED, ChatEvent.MEMBER_UNBANNED -> {
                return Outcome.SKIPPED; // the store keeps no ban list: a ban of a member arrives as a MEMBER_LEFT
            }
            default -> {
                return Outcome.UNKNOWN;
            }
        }
    }

    public void applyProfileEvents(StoreWriter w, List<ProfileEvent> events, ApplyStats stats) {
        if (events == null) return;
        List<ProfileEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparing(ProfileEvent::userUUID, Comparator.nullsFirst(Comparator.naturalOrder()))
                .thenComparingLong(ProfileEvent::id));
        for (ProfileEvent e : sorted) {
            if (e.userUUID() == null || e.id() <= w.profileEventId(e.userUUID())) { // already applied
                stats.skippedOther++;
                continue;
            }
            // false: the user is not stored (profileEventId gave -1); their profile arrives in users.new
            if (w.applyProfileFields(e.userUUID(), e.payload(), e.id())) stats.profileEvents++;
            else stats.skippedOther++;
        }
        hook.after("profileEvents");
    }

    public void applyUserEvents(StoreWriter w, List<UserEvent> events, ApplyStats stats) {
        if (events == null) return;
        List<UserEvent> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(UserEvent::id));
        long start = w.localEventId();
        long cursor = start;
        for (UserEvent e : sorted) {
            if (e.id() <= cursor) {
                stats.skippedOther++;
                continue;
            }
            switch (applyUserEvent(w, e)) {
                case APPLIED -> stats.userEvents++;
                case UNKNOWN -> {
                    stats.skippedUnknown++;
                    w.countSkipped("userEvent." + e.type());
                }
                case SKIPPED -> stats.skippedOther++;
            }
            cursor = e.id();
        }
        if (cursor > start) w.advanceLocalEventId(cursor); // once, in the events' transaction
        hook.after("userEvents");
    }

    public Outcome applyUserEvent(StoreWriter w, UserEvent e) {
        ObjectNode p = e.payload() == null ? Json.mapper().createObjectNode() : e.payload();
        String chat = text(p, "chatUUID") != null ? text(p, "chatUUID") : e.chatUUID();
        String type = e.type() == null ? "" : e.type();
        switch (type) {
            case UserEvent.CHAT_PINNED -> {
                return outcome(chat != null && w.account().pinChat(chat, p.path("position").asInt(0)));
            }
            case UserEvent.CHAT_UNPINNED -> {
                if (chat == null) return Outcome.SKIPPED;
                w.account().unpinChat(chat);
                return Outcome.APPLIED;
            }
            case UserEvent.MESSAGE_FAVORITED -> {
                if (chat == null || !p.has("messageID")) return Outcome.SKIPPED;
                return outcome(w.account().favorite(new FavoriteMessage(chat, p.path("subID").asInt(0),
                        p.path("messageID").asLong(), text(p, "createdAt") != null ? text(p, "createdAt") : e.createdAt())));
            }
            case UserEvent.MESSAGE_UNFAVORITED -> {
                if (chat == null || !p.has("messageID")) return Outcome.SKIPPED;
                w.account().unfavorite(chat, p.path("subID").asInt(0), p.path("messageID").asLong());
                return Outcome.APPLIED;
            }
            case UserEvent.SETTING_UPDATED -> {
                String key = text(p, "key");
                if (key == null) return Outcome.SKIPPED;
                w.account().putSetting(key, p.get("value"), e.createdAt());
                return Outcome.APPLIED;
            }
            default -> {
                return Outcome.UNKNOWN;
            }
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static Outcome outcome(boolean applied) {
        return applied ? Outcome.APPLIED : Outcome.SKIPPED;
    }

    private static String text(JsonNode p, String field) {
        JsonNode v = p.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<FileRef> files(JsonNode array) {
        List<FileRef> out = new ArrayList<>();
        for (JsonNode n : array) {
            try {
                out.add(Json.mapper().treeToValue(n, FileRef.class));
            } catch (Exception ex) {
                throw ApiException.badReply("malformed file in a MESSAGE_EDITED event: " + ApiClient.firstLine(ex.getMessage()), ex);
            }
        }
        return out;
    }
}
