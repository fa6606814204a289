package dev.novyse.sync;

import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The cursors the database will hold once a reply is applied, computed from the cursors before it and the reply
 * alone, so that the sync can ask for the next page while this one is still being applied. It mirrors what
 * {@link BatchApplier} does to the cursors, step by step and in the same order, and gives the same body that
 * {@link dev.novyse.store.LocalDatabase#updateRequest()} reads after the commit (tests hold the two together).
 *
 * <p>A request derived here is only ever a request: the database decides what is new when it applies a reply, so
 * a cursor that lags behind (another writer moved it meanwhile) costs a re-delivery, never a lost row.
 */
final class SyncCursors {
    /** SQLite's BINARY collation (the order of {@code ORDER BY uuid}): UTF-8 bytes, unsigned. */
    private static final Comparator<String> BINARY = (a, b) -> Arrays.compareUnsigned(
            a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));

    private long local;
    private final Map<String, ChatCursor> chats = new HashMap<>();
    private final Map<String, Long> users = new HashMap<>();

    private static final class ChatCursor {
        long eventID;
        final TreeMap<Integer, Long> subs = new TreeMap<>();

        ChatCursor(long eventID) {
            this.eventID = eventID;
        }
    }

    private SyncCursors() {
    }

    /** The cursors after applying {@code reply} to a database whose cursors were {@code before}. */
    static UpdateRequest afterUpdate(UpdateRequest before, UpdateData reply) {
        SyncCursors c = from(before);
        UpdateData.Chats chats = reply.chats();
        UpdateData.Users users = reply.users();
        if (chats != null && chats.removed() != null) {
            for (String uuid : chats.removed()) {
                if (uuid != null) c.chats.remove(uuid);
            }
        }
        if (chats != null) c.newChats(chats.created());
        if (users != null) c.newUsers(users.created());
        c.messages(reply.messages(), null);
        if (chats != null) c.chatEvents(chats.events());
        if (users != null) c.profileEvents(users.events());
        c.userEvents(reply.local());
        return c.toRequest();
    }

    /** The cursors after applying a full initialize (which first clears the server state). */
    static UpdateRequest afterInitialize(InitializeData data) {
        SyncCursors c = new SyncCursors();
        InitializeData.Local local = data.local();
        if (local != null && local.user() != null) {
            if (local.user().eventID() != null) c.local = local.user().eventID(); // sync_state was cleared
            c.newUsers(List.of(local.user()));
        }
        c.newUsers(data.users());
        c.newChats(data.chats());
        c.messages(data.messages(), null);
        return c.toRequest();
    }

    private static SyncCursors from(UpdateRequest r) {
        SyncCursors c = new SyncCursors();
        if (r.local() != null) c.local = r.local().eventID();
        if (r.chats() != null) {
            for (UpdateRequest.ChatCursor cc : r.chats()) {
                ChatCursor chat = new ChatCursor(cc.eventID());
                if (cc.subs() != null) {
                    for (UpdateRequest.SubCursor s : cc.subs()) chat.subs.merge(s.subID(), s.messageID(), Math::max);
                }
                c.chats.put(cc.chatUUID(), chat);
            }
        }
        if (r.users() != null) {
            for (UpdateRequest.UserCursor u : r.users()) c.users.put(u.userUUID(), u.profileEventID());
        }
        return c;
    }

    // Each step below matches the BatchApplier step of the same name (and the StoreWriter methods it calls).

    private void newChats(List<Chat> created) {
        if (created == null) return;
        for (Chat chat : created) {
            if (chat.uuid() == null) continue; // the apply rejects it
            long ev = chat.eventID() == null ? 0 : chat.eventID();
            ChatCursor c = chats.get(chat.uuid());
            if (c == null) chats.put(chat.uuid(), new ChatCursor(ev));
            else c.eventID = Math.max(c.eventID, ev); // upsertChat: MAX(chat.eventID, excluded.eventID)
            messages(chat.messages(), chat.uuid());
        }
    }

    private void newUsers(List<User> created) {
        if (created == null) return;
        for (User u : created) {
            if (u.uuid() == null) continue;
            long ev = u.profileEventID() == null ? 0 : u.profileEventID();
            users.merge(u.uuid(), ev, Math::max); // upsertUser keeps a newer stored profile
        }
    }

    private void messages(List<Message> messages, String embeddedIn) {
        if (messages == null) return;
        for (Message m : messages) {
            String chat = m.chatUUID() != null ? m.chatUUID() : embeddedIn;
            ChatCursor c = chat == null ? null : chats.get(chat);
            if (c == null) continue; // a message of a chat not stored: the apply fails on it
            c.subs.merge(m.subID(), m.id(), Math::max); // the sub's cursor is MAX(message.id), tombstones included
        }
    }

    private void chatEvents(List<ChatEvent> events) {
        if (events == null) return;
        for (ChatEvent e : BatchApplier.inApplyOrder(events)) {
            ChatCursor c = e.chatUUID() == null ? null : chats.get(e.chatUUID());
            if (c == null || e.id() <= c.eventID) continue; // chat not stored, or event already applied
            Integer deletedSub = BatchApplier.deletedSub(e);
            if (deletedSub != null) c.subs.remove(deletedSub); // its messages are deleted with it
            c.eventID = e.id();
        }
    }

    private void profileEvents(List<ProfileEvent> events) {
        if (events == null) return;
        for (ProfileEvent e : events) {
            if (e.userUUID() == null) continue;
            users.computeIfPresent(e.userUUID(), (k, v) -> Math.max(v, e.id())); // unknown users are skipped
        }
    }

    private void userEvents(List<UserEvent> events) {
        if (events == null) return;
        for (UserEvent e : events) local = Math.max(local, e.id());
    }

    private UpdateRequest toRequest() {
        List<UpdateRequest.ChatCursor> chatCursors = new ArrayList<>(chats.size());
        for (Map.Entry<String, ChatCursor> e : sorted(chats)) {
            List<UpdateRequest.SubCursor> subs = new ArrayList<>(e.getValue().subs.size());
            e.getValue().subs.forEach((sub, id) -> subs.add(new UpdateRequest.SubCursor(sub, id)));
            chatCursors.add(new UpdateRequest.ChatCursor(e.getKey(), e.getValue().eventID, List.copyOf(subs)));
        }
        List<UpdateRequest.UserCursor> userCursors = new ArrayList<>(users.size());
        for (Map.Entry<String, Long> e : sorted(users)) userCursors.add(new UpdateRequest.UserCursor(e.getKey(), e.getValue()));
        return new UpdateRequest(new UpdateRequest.Local(local), chatCursors, userCursors);
    }

    private static <V> List<Map.Entry<String, V>> sorted(Map<String, V> map) {
        List<Map.Entry<String, V>> entries = new ArrayList<>(map.entrySet());
        entries.sort(Map.Entry.comparingByKey(BINARY));
        return entries;
    }
}
