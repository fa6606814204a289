package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.User;
import dev.novyse.protocol.UserEvent;

import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/** Profile changes (logged as profile events), synchronised settings, search and handle checks. */
final class UserService {
    /** Profile fields a client may change, with their column and event type. */
    private static final Map<String, String[]> PROFILE_FIELDS = new LinkedHashMap<>();

    static {
        PROFILE_FIELDS.put("name", new String[]{"name", "NAME_CHANGED"});
        PROFILE_FIELDS.put("surname", new String[]{"surname", "SURNAME_CHANGED"});
        PROFILE_FIELDS.put("biography", new String[]{"biography", "BIO_CHANGED"});
        PROFILE_FIELDS.put("birthday", new String[]{"birthday", "BIRTHDAY_CHANGED"});
        PROFILE_FIELDS.put("color", new String[]{"color", "COLOR_CHANGED"});
        PROFILE_FIELDS.put("region", new String[]{"region", "REGION_CHANGED"});
        PROFILE_FIELDS.put("country", new String[]{"country", "COUNTRY_CHANGED"});
        PROFILE_FIELDS.put("profilePictureUUID", new String[]{"profile_picture_uuid", "PICTURE_CHANGED"});
        PROFILE_FIELDS.put("bannerPictureUUID", new String[]{"banner_picture_uuid", "BANNER_CHANGED"});
        // The handle is the name the account signs in with as well (users.username), and global across users and chats.
        PROFILE_FIELDS.put("handle", new String[]{"username", "HANDLE_CHANGED"});
    }

    private final ServerDatabase db;
    private final Clock clock;

    UserService(ServerDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    ObjectNode updateProfile(String caller, Body b) {
        Map<String, String> changes = new LinkedHashMap<>();
        for (String field : PROFILE_FIELDS.keySet()) {
            if (b.raw(field) != null) {
                String v = b.optString(field, field.equals("biography") ? 1024 : 128);
                changes.put(field, v == null || v.isEmpty() ? null : v);
            }
        }
        if (changes.containsKey("name") && changes.get("name") == null) {
            throw ApiError.badRequest("field 'name' must not be empty");
        }
        if (changes.containsKey("handle")) {
            if (changes.get("handle") == null) throw ApiError.badRequest("a handle can be changed, not removed");
            changes.put("handle", ChatService.normaliseHandle(changes.get("handle")));
        }
        return db.write(c -> {
            User current = EntityReader.user(c, caller);
            JsonNode now = Json.mapper().valueToTree(current);
            ObjectNode out = Http.object();
            String at = Times.iso(clock);
            for (Map.Entry<String, String> e : changes.entrySet()) {
                JsonNode old = now.get(e.getKey());
                String oldValue = old == null || old.isNull() ? null : old.asText();
                if (java.util.Objects.equals(oldValue, e.getValue())) {
                    continue; // the public client sends every field; only real changes are logged
                }
                String[] spec = PROFILE_FIELDS.get(e.getKey());
                if (e.getKey().equals("handle")) {
                    if (queryString(c, "SELECT handle FROM handles WHERE handle=?", e.getValue()) != null) {
                        throw ApiError.conflict("handle '" + e.getValue() + "' is taken");
                    }
                    update(c, "UPDATE handles SET handle=? WHERE user_uuid=?", e.getValue(), caller);
                }
                update(c, "UPDATE users SET " + spec[0] + "=? WHERE uuid=?", e.getValue(), caller);
                ObjectNode payload = Http.object();
                payload.put(e.getKey(), e.getValue());
                out.put("profileEventID", EventLog.profileEvent(c, caller, spec[1], at, payload));
            }
            if (out.has("profileEventID")) {
                ObjectNode announce = Http.object().put("userUUID", caller);
                changes.forEach(announce::put);
                announce.put("profileEventID", out.get("profileEventID").asLong());
                List<String> to = Access.contacts(c, caller);
                db.announce(Announcement.ofUser(caller, to, "user:profile:update", announce));
            }
            return out;
        });
    }

    /**
     * {@code POST /user/presence {userUUIDs}}: uuid → {@code {status: ONLINE|OFFLINE, lastAccessAt}} for each of them
     * the caller shares a chat with (or the caller), as the live events would have said: a client that connects
     * learns who was online before it did. Others are left out. {@code lastAccessAt} is not kept: null.
     */
    ObjectNode presence(String caller, Body b, java.util.function.Predicate<String> connectedHere) {
        if (!b.has("userUUIDs")) throw ApiError.badRequest("field 'userUUIDs' must list users");
        java.util.Set<String> asked = b.uuids("userUUIDs", 1000);
        return db.read(c -> {
            java.util.Set<String> contacts = new java.util.HashSet<>(Access.contacts(c, caller));
            List<String> known = asked.stream().filter(contacts::contains).toList();
            java.util.Set<String> anywhere = db.connectedOnAnyProcess(c, known);
            ObjectNode out = Http.object();
            for (String u : known) {
                out.putObject(u).put("status", connectedHere.test(u) || anywhere.contains(u) ? "ONLINE" : "OFFLINE")
                        .putNull("lastAccessAt");
            }
            return out;
        });
    }

    /** {@code user:presence:online/offline} to everyone who shares a chat with the user. */
    void announcePresence(String user, boolean online) {
        List<String> to = db.read(c -> Access.contacts(c, user).stream().filter(u -> !u.equals(user)).toList());
        ObjectNode payload = Http.object().put("userUUID", user);
        if (!online) {
            payload.put("lastAccessAt", Times.iso(clock));
        }
        db.relay(to, online ? "user:presence:online" : "user:presence:offline", payload);
    }

    ObjectNode setPreference(String caller, Body b) {
        String key = b.string("key", 128);
        JsonNode value = b.raw("value");
        String stored = value == null || value.isNull() ? null : value.toString();
        if (stored != null && stored.length() > 16_384) {
            throw ApiError.tooLarge("setting value is too large");
        }
        return db.write(c -> {
            String at = Times.iso(clock);
            if (stored == null) {
                update(c, "DELETE FROM settings WHERE user_uuid=? AND key=?", caller, key);
            } else {
                update(c, "INSERT INTO settings(user_uuid, key, value) VALUES(?,?,?) ON CONFLICT(user_uuid, key)"
                        + " DO UPDATE SET value=excluded.value", caller, key, stored);
            }
            ObjectNode payload = Http.object().put("key", key);
            payload.set("value", value == null ? Json.mapper().nullNode() : value);
            long event = EventLog.userEvent(c, caller, UserEvent.SETTING_UPDATED, null, at, payload);
            ObjectNode announce = payload.deepCopy().put("userEventID", event);
            db.announce(Announcement.ofUser(caller, List.of(caller), "user:setting:update", announce));
            return Http.object().put("userEventID", event);
        });
    }

    ObjectNode search(String caller, String query) {
        String q = query.trim().toLowerCase(Locale.ROOT);
        if (q.length() < 3) {
            throw ApiError.badRequest("a search needs at least 3 characters");
        }
        String like = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        return db.read(c -> {
            List<User> users = EntityReader.users(c, "(username LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\')"
                    + " ORDER BY username LIMIT 20", like, like);
            List<Chat> chats = new ArrayList<>();
            for (String uuid : ServerDatabase.queryStrings(c, "SELECT uuid FROM chats WHERE (handle IS NOT NULL"
                    + " OR uuid IN (SELECT chat_uuid FROM members WHERE user_uuid=?)) AND type <> 'DM'"
                    + " AND (handle LIKE ? ESCAPE '\\' OR lower(name) LIKE ? ESCAPE '\\') ORDER BY name LIMIT 20",
                    caller, like, like)) {
                chats.add(EntityReader.chat(c, uuid));
            }
            ObjectNode out = Http.object();
            out.set("users", Json.mapper().valueToTree(users));
            out.set("chats", Json.mapper().valueToTree(chats));
            return out;
        });
    }

    ObjectNode checkHandle(String handle) {
        String h = ChatService.normaliseHandle(handle);
        boolean taken = db.read(c -> queryString(c, "SELECT handle FROM handles WHERE handle=?", h) != null);
        return Http.object().put("available", !taken);
    }


}
