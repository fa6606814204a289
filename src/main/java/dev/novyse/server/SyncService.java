package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.FavoriteMessage;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.PinnedChat;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /user/initialize} and {@code /user/update}: the membership diff, the new/events split, the visibility
 * rules, and message paging. Each reply is read in one transaction, so it is one consistent snapshot.
 */
final class SyncService {
    static final int DEFAULT_LIMIT = 5000;
    static final int MAX_LIMIT = 10_000;

    private final ServerDatabase db;

    SyncService(ServerDatabase db) {
        this.db = db;
    }

    InitializeData initialize(String viewer, int limit) {
        return db.read(c -> {
            User me = EntityReader.user(c, viewer);
            long eventSeq = ServerDatabase.queryLong(c, "SELECT user_event_seq FROM users WHERE uuid=?", viewer);
            User local = new User(me.uuid(), me.name(), me.surname(), me.handle(), me.profilePictureUUID(),
                    me.bannerPictureUUID(), me.biography(), me.birthday(), me.region(), me.country(), me.color(),
                    me.profileEventID(), eventSeq);
            InitializeData.Local localData = new InitializeData.Local(local, pinnedChats(c, viewer), settings(c, viewer),
                    favorites(c, viewer));
            List<Chat> chats = new ArrayList<>();
            for (String uuid : memberChats(c, viewer)) {
                chats.add(EntityReader.chat(c, uuid));
            }
            List<Message> messages = new ArrayList<>();
            boolean more = fillMessages(c, viewer, chats.stream().map(Chat::uuid).toList(), Map.of(), limit, messages);
            return new InitializeData(localData, EntityReader.contacts(c, viewer), chats, messages, more ? true : null);
        });
    }

    UpdateData update(String viewer, Body body, int limit) {
        Request req = Request.parse(body);
        return db.read(c -> {
            List<String> mine = memberChats(c, viewer);
            Set<String> mineSet = new HashSet<>(mine);
            List<String> removed = new ArrayList<>();
            for (String listed : req.chatCursors.keySet()) {
                if (!mineSet.contains(listed)) {
                    removed.add(listed);
                }
            }
            List<Chat> created = new ArrayList<>();
            List<ChatEvent> events = new ArrayList<>();
            Map<String, Long> newestEvents = newestChatEvents(c, viewer);
            for (String chat : mine) {
                Long cursor = req.chatCursors.get(chat);
                if (cursor == null) {
                    created.add(EntityReader.chat(c, chat));
                } else if (newestEvents.getOrDefault(chat, Long.MAX_VALUE) > cursor) {
                    events.addAll(chatEvents(c, chat, cursor, viewer));
                }
            }
            List<User> newUsers = new ArrayList<>();
            List<ProfileEvent> profileEvents = new ArrayList<>();
            Set<String> contacts = new HashSet<>();
            for (User u : EntityReader.contacts(c, viewer)) {
                contacts.add(u.uuid());
                if (!req.userCursors.containsKey(u.uuid())) {
                    newUsers.add(u);
                }
            }
            for (Map.Entry<String, Long> e : req.userCursors.entrySet()) {
                // Only people the viewer shares a chat with: listing a uuid must not reveal a stranger's profile.
                if (contacts.contains(e.getKey())) {
                    profileEvents.addAll(profileEvents(c, e.getKey(), e.getValue(), viewer));
                }
            }
            List<Message> messages = new ArrayList<>();
            boolean more = fillMessages(c, viewer, mine, req.subCursors, limit, messages);
            List<UserEvent> local = userEvents(c, viewer, req.localEventId);
            return new UpdateData(new UpdateData.Chats(created, events, removed),
                    new UpdateData.Users(newUsers, profileEvents), messages, local, more ? true : null);
        });
    }

    /** The parsed cursors of an update request; a malformed request is a 400 before anything is read. */
    private record Request(long localEventId, Map<String, Long> chatCursors, Map<String, Map<Integer, Long>> subCursors,
                           Map<String, Long> userCursors) {
        static Request parse(Body body) {
            long local = 0;
            if (body.has("local")) {
                JsonNode l = body.raw("local");
                if (!l.isObject()) {
                    throw ApiError.badRequest("field 'local' must be an object");
                }
                Long v = Body.of((ObjectNode) l).optInteger("eventID", 0, Long.MAX_VALUE);
                local = v == null ? 0 : v;
            }
            Map<String, Long> chats = new LinkedHashMap<>();
            Map<String, Map<Integer, Long>> subs = new HashMap<>();
            for (Body chat : body.objects("chats", 100_000)) {
                String uuid = chat.string("chatUUID", 64);
                Long eventId = chat.optInteger("eventID", 0, Long.MAX_VALUE);
                chats.put(uuid, eventId == null ? 0 : eventId);
                Map<Integer, Long> perSub = new HashMap<>();
                for (Body sub : chat.objects("subs", 10_000)) {
                    perSub.put((int) sub.integer("subID", 0, Integer.MAX_VALUE),
                            sub.integer("messageID", 0, Long.MAX_VALUE));
                }
                subs.put(uuid, perSub);
            }
            Map<String, Long> users = new LinkedHashMap<>();
            for (Body user : body.objects("users", 1_000_000)) {
                Long v = user.optInteger("profileEventID", 0, Long.MAX_VALUE);
                users.put(user.string("userUUID", 64), v == null ? 0 : v);
            }
            return new Request(local, chats, subs, users);
        }
    }

    static List<String> memberChats(Connection c, String viewer) throws SQLException {
        return ServerDatabase.queryStrings(c, "SELECT chat_uuid FROM members WHERE user_uuid=? ORDER BY chat_uuid", viewer);
    }

    /**
     * Each of the viewer's chats with the id of its newest event ({@code chats.event_seq}, taken with the event in
     * one transaction): a chat whose cursor is there needs no query for its events. One statement instead of two per
     * chat on every page: preparing them was the server's top cost in a 200-chat sync (docs/benchmarks.md).
     */
    private static Map<String, Long> newestChatEvents(Connection c, String viewer) throws SQLException {
        Map<String, Long> out = new HashMap<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT c.uuid, c.event_seq FROM members m"
                + " JOIN chats c ON c.uuid = m.chat_uuid WHERE m.user_uuid=?", viewer); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) out.put(rs.getString(1), rs.getLong(2));
        }
        return out;
    }

    /** A live sub of one of the viewer's chats with the id of its newest message ({@code next_message_id - 1}). */
    private record SubTop(int sub, long newest) {
    }

    /** The viewer's chats' live subs, by chat, in id order, with their newest message ids: one statement. */
    private static Map<String, List<SubTop>> liveSubs(Connection c, String viewer) throws SQLException {
        Map<String, List<SubTop>> out = new HashMap<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT s.chat_uuid, s.id, s.next_message_id - 1"
                + " FROM members m JOIN subs s ON s.chat_uuid = m.chat_uuid WHERE m.user_uuid=? AND s.deleted=0"
                + " ORDER BY s.chat_uuid, s.id", viewer); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(new SubTop(rs.getInt(2), rs.getLong(3)));
            }
        }
        return out;
    }

    /**
     * Appends messages of the given chats, (chat, sub) by (chat, sub) from each cursor, until {@code limit}.
     * Returns true when messages remain above the cursors the reply leaves: a reply that took the last message is
     * the last page (no empty page after it). Subs with nothing above their cursor cost no query: a fresh sync's
     * pages walk past every chat already sent.
     */
    private static boolean fillMessages(Connection c, String viewer, List<String> chats,
                                        Map<String, Map<Integer, Long>> cursors, int limit, List<Message> out)
            throws SQLException {
        Map<String, List<SubTop>> subs = liveSubs(c, viewer);
        for (String chat : chats) {
            Map<Integer, Long> subCursors = cursors.getOrDefault(chat, Map.of());
            // Messages of a deleted sub are not synchronised: the sub is not in the chat's `subs` and a client
            // drops it (and its messages) on SUB_DELETED. Sending them anyway made every client re-download them
            // on its next update (its cursor for the sub is gone) and store them under a nameless phantom sub.
            for (SubTop sub : subs.getOrDefault(chat, List.of())) {
                long cursor = subCursors.getOrDefault(sub.sub(), 0L);
                if (sub.newest() <= cursor) {
                    continue;
                }
                int room = limit - out.size();
                if (room <= 0) {
                    return true;
                }
                List<Message> page = MessageReader.after(c, chat, sub.sub(), cursor, room, viewer);
                out.addAll(page);
                if (!page.isEmpty() && page.get(page.size() - 1).id() < sub.newest() && out.size() >= limit) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<ChatEvent> chatEvents(Connection c, String chat, long cursor, String viewer) throws SQLException {
        boolean admin = Access.isAdmin(c, chat, viewer);
        // Other members get only the newest edit of each message; authors and admins get every edit.
        String sql = "SELECT e.id, e.type, e.user_uuid, e.created_at, e.payload FROM chat_events e"
                + " WHERE e.chat_uuid=? AND e.id>? AND (e.type <> 'MESSAGE_EDITED' OR ? = 1 OR"
                + " EXISTS (SELECT 1 FROM messages m WHERE m.chat_uuid=e.chat_uuid AND m.sub_id=e.sub_id"
                + "   AND m.id=e.message_id AND m.sender_uuid=?) OR"
                + " e.id = (SELECT MAX(e2.id) FROM chat_events e2 WHERE e2.chat_uuid=e.chat_uuid AND e2.sub_id=e.sub_id"
                + "   AND e2.message_id=e.message_id AND e2.type='MESSAGE_EDITED'))"
                + " ORDER BY e.id";
        List<ChatEvent> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, sql, chat, cursor, admin ? 1 : 0, viewer);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ChatEvent(rs.getLong(1), rs.getString(2), chat, rs.getString(3), rs.getString(4),
                        payload(rs.getString(5))));
            }
        }
        return out;
    }

    private static List<ProfileEvent> profileEvents(Connection c, String user, long cursor, String viewer)
            throws SQLException {
        // Contacts get only the newest event of each type; the owner gets the whole log.
        String sql = user.equals(viewer)
                ? "SELECT id, type, created_at, payload FROM profile_events WHERE user_uuid=? AND id>? ORDER BY id"
                : "SELECT id, type, created_at, payload FROM profile_events p WHERE user_uuid=? AND id>? AND id ="
                + " (SELECT MAX(id) FROM profile_events p2 WHERE p2.user_uuid=p.user_uuid AND p2.type=p.type) ORDER BY id";
        List<ProfileEvent> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c, sql, user, cursor); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new ProfileEvent(rs.getLong(1), user, rs.getString(2), rs.getString(3), payload(rs.getString(4))));
            }
        }
        return out;
    }

    private static List<UserEvent> userEvents(Connection c, String viewer, long cursor) throws SQLException {
        List<UserEvent> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT id, type, chat_uuid, created_at, payload FROM user_events WHERE user_uuid=? AND id>? ORDER BY id",
                viewer, cursor); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new UserEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        payload(rs.getString(5))));
            }
        }
        return out;
    }

    private static List<PinnedChat> pinnedChats(Connection c, String viewer) throws SQLException {
        List<PinnedChat> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT chat_uuid, position FROM chat_pins WHERE user_uuid=? ORDER BY position, chat_uuid", viewer);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new PinnedChat(rs.getString(1), rs.getInt(2)));
            }
        }
        return out;
    }

    private static Map<String, JsonNode> settings(Connection c, String viewer) throws SQLException {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT key, value FROM settings WHERE user_uuid=? ORDER BY key", viewer); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), json(rs.getString(2)));
            }
        }
        return out;
    }

    private static List<FavoriteMessage> favorites(Connection c, String viewer) throws SQLException {
        List<FavoriteMessage> out = new ArrayList<>();
        try (PreparedStatement ps = ServerDatabase.prepare(c,
                "SELECT chat_uuid, sub_id, message_id, created_at FROM favorites WHERE user_uuid=?"
                        + " ORDER BY chat_uuid, sub_id, message_id", viewer); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(new FavoriteMessage(rs.getString(1), rs.getInt(2), rs.getLong(3), rs.getString(4)));
            }
        }
        return out;
    }

    static ObjectNode payload(String text) {
        JsonNode node = json(text);
        return node instanceof ObjectNode o ? o : Json.mapper().createObjectNode();
    }

    static JsonNode json(String text) {
        if (text == null) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new IllegalStateException("stored JSON is corrupt: " + e.getMessage(), e);
        }
    }
}
