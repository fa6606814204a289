package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.User;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.OutgoingFile;
import dev.novyse.store.StoreWriter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a person does to a chat, as calls on the server. Each call blocks (run it off the UI thread); the change
 * itself comes back through the live channel (or the next sync) and is stored from there, so the store never
 * holds something the server did not accept. Sends are the exception: they go through the outbox first, so
 * what was typed survives being offline.
 */
public final class ChatActions {
    private final ApiClient api;
    private final LocalDatabase db;
    private final OutboxSender outbox;
    private final FileFetcher files;

    /** {@code files} fetches into the download cache {@code novyse file get} shares. */
    public ChatActions(ApiClient api, LocalDatabase db, OutboxSender outbox, FileFetcher files) {
        this.api = api;
        this.db = db;
        this.outbox = outbox;
        this.files = files;
    }

    /** Writes the message to the outbox (local, fast); returns its tempId for {@link #deliver}. */
    public String queue(String chatUUID, int subID, String content, Long replyToId) {
        return outbox.enqueue(chatUUID, subID, content, replyToId);
    }

    /** One delivery attempt of a queued message; QUEUED means it waits for the network. */
    public OutboxSender.Result deliver(String tempId) {
        return outbox.deliver(tempId);
    }

    /** Messages the server refused (FAILED) sent again, as {@code outbox retry} does ({@link OutboxSender#retry}). */
    public List<OutboxSender.Result> retry(List<String> tempIds) {
        return outbox.retry(tempIds);
    }

    /**
     * Who of {@code userUUIDs} is online now, as the server says ({@code POST /user/presence}, at most 1,000 a
     * request); users the server does not tell the account about are left out.
     */
    public java.util.Map<String, Boolean> presence(List<String> userUUIDs) {
        java.util.Map<String, Boolean> out = new java.util.HashMap<>();
        for (int from = 0; from < userUUIDs.size(); from += 1000) {
            var body = java.util.Map.of("userUUIDs", userUUIDs.subList(from, Math.min(userUUIDs.size(), from + 1000)));
            api.post("/user/presence", body).fields().forEachRemaining(e ->
                    out.put(e.getKey(), "ONLINE".equals(e.getValue().path("status").asText())));
        }
        return out;
    }

    /** Takes a message out of the outbox unsent, as {@code outbox drop}; false when it was no longer there. */
    public boolean drop(String tempId) {
        return db.drop(tempId);
    }

    /** Queues the message in the outbox, then tries to deliver it once. */
    public OutboxSender.Result send(String chatUUID, int subID, String content, Long replyToId) {
        return deliver(queue(chatUUID, subID, content, replyToId));
    }

    /**
     * Queues a message with files (read from disk at upload time, like {@code novyse send --file}), then tries to
     * deliver it once; an upload cut short stays in the outbox and is redone by the next flush.
     */
    public OutboxSender.Result sendFiles(String chatUUID, int subID, String caption, Long replyToId, List<OutgoingFile> attached) {
        return deliver(outbox.enqueue(chatUUID, subID, caption, replyToId, attached));
    }

    /** Fetches a file into the cache (or finds it there) and copies it to {@code target}. */
    public Path saveFile(String fileUUID, Long size, String name, Path target) {
        FileFetcher.Fetched f = files.fetch(fileUUID, size, name);
        Path folder = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(folder); // a folder typed that does not exist yet is made, as `mkdir -p`
            FileFetcher.copyInto(f.path(), target);
        } catch (IOException e) {
            // Short, for a status line: the name and what went wrong, not Java's path-only message.
            throw new UncheckedIOException("cannot save " + target.getFileName() + ": " + dev.novyse.io.IoWords.of(e), e);
        }
        return target;
    }

    public void edit(String chatUUID, int subID, long messageId, String content) {
        api.patch("/message", target(chatUUID, subID, messageId).put("content", content));
    }

    public void delete(String chatUUID, int subID, long messageId) {
        api.delete("/message", target(chatUUID, subID, messageId));
    }

    /**
     * Adds or takes back the account's reaction; true when the server has it. Unreachable, it is queued (the
     * latest toggle of the emoji on the message wins) and goes out with the outbox: false.
     */
    public boolean react(String chatUUID, int subID, long messageId, String emoji, boolean add) {
        ObjectNode body = target(chatUUID, subID, messageId).put("reaction", emoji);
        try {
            if (add) api.put("/message/reaction", body);
            else api.delete("/message/reaction", body);
            return true;
        } catch (ApiException e) {
            if (e.kind() != ApiException.Kind.NETWORK) throw e;
            queueReaction(chatUUID, subID, messageId, emoji, add);
            return false;
        }
    }

    /** Queues the account's reaction (or its taking back) to go out with the outbox; the latest toggle wins. */
    public void queueReaction(String chatUUID, int subID, long messageId, String emoji, boolean add) {
        db.reactionQueue().add(chatUUID, subID, messageId, emoji, add);
    }

    public void pin(String chatUUID, int subID, long messageId, boolean add) {
        if (add) api.put("/message/pin", target(chatUUID, subID, messageId));
        else api.delete("/message/pin", target(chatUUID, subID, messageId));
    }

    /** Moves the account's read watermark up to {@code messageId}. */
    public void markRead(String chatUUID, int subID, long messageId) {
        api.post("/message/read", target(chatUUID, subID, messageId));
    }

    /** Joins a public group, channel or forum by its handle; returns the chat's uuid. */
    public String join(String handle) {
        String h = handle.startsWith("@") ? handle.substring(1) : handle;
        JsonNode data = api.post("/chat/join", Json.mapper().createObjectNode().put("handle", h));
        return data.path("chat").path("uuid").asText(null);
    }

    /**
     * Creates a chat. A DM takes exactly one other person, named by handle; a group, channel or forum takes a
     * name and optionally a handle and members (handles). Returns the chat's uuid.
     */
    public String create(String type, String name, String handle, List<String> memberHandles) {
        List<String> members = new ArrayList<>();
        for (String m : memberHandles) members.add(userByHandle(m));
        return createWith(type, name, handle, members);
    }

    /**
     * Creates a chat with members given by uuid; for a DM with someone it already has, the server answers the
     * existing one. Returns the chat's uuid.
     */
    public String createWith(String type, String name, String handle, List<String> memberUUIDs) {
        ObjectNode body = Json.mapper().createObjectNode().put("type", type);
        body.putArray("memberUUIDs").addAll(memberUUIDs.stream().map(Json.mapper().getNodeFactory()::textNode).toList());
        if (name != null && !name.isBlank()) body.put("name", name);
        if (handle != null && !handle.isBlank()) body.put("handle", handle.startsWith("@") ? handle.substring(1) : handle);
        JsonNode data = api.post("/chat/create", body);
        return data.path("chat").path("uuid").asText(null);
    }

    private String userByHandle(String handle) {
        String h = handle.startsWith("@") ? handle.substring(1) : handle;
        JsonNode found = api.get("/search/all", Map.of("query", h));
        for (JsonNode u : found.path("users")) {
            if (h.equalsIgnoreCase(u.path("handle").asText(""))) return u.path("uuid").asText();
        }
        throw new ApiException(ApiException.Kind.HTTP, 404, "USER_NOT_FOUND", "no user @" + h);
    }

    /**
     * The server's users that {@code wanted} names exactly: by handle ({@code @mara} or {@code mara}) if any has
     * it, else by display name ("Mara" or "Mara Lind"), case-insensitive. Empty when nobody is; several when a name
     * is shared. The server searches from 3 characters, so a shorter name finds nobody here.
     */
    public List<User> findUsers(String wanted) {
        String q = wanted.strip();
        String h = q.startsWith("@") ? q.substring(1) : q;
        if (h.length() < 3) return List.of();
        List<User> byHandle = new ArrayList<>();
        List<User> byName = new ArrayList<>();
        for (JsonNode n : api.get("/search/all", Map.of("query", h)).path("users")) {
            User u = ApiClient.decode(n, User.class, "GET /search/all");
            String full = u.surname() == null || u.surname().isBlank() ? u.name() : u.name() + " " + u.surname();
            if (h.equalsIgnoreCase(u.handle())) byHandle.add(u);
            else if (q.equalsIgnoreCase(u.name()) || q.equalsIgnoreCase(full)) byName.add(u);
        }
        return byHandle.isEmpty() ? byName : byHandle;
    }

    /** Leaves a group, channel or forum (a DM cannot be left). */
    public void leave(String chatUUID) {
        api.post("/chat/leave", Json.mapper().createObjectNode().put("chatUUID", chatUUID));
    }

    public void rename(String chatUUID, String name) {
        api.patch("/chat/rename", Json.mapper().createObjectNode().put("chatUUID", chatUUID).put("name", name));
    }

    /** Changes the chat's description; a null or blank one clears it. */
    public void describe(String chatUUID, String description) {
        api.patch("/chat/description", Json.mapper().createObjectNode().put("chatUUID", chatUUID)
                .put("description", description));
    }

    /** Gives the chat a handle (with or without '@'), or drops it when {@code handle} is null. */
    public void changeHandle(String chatUUID, String handle) {
        ObjectNode body = Json.mapper().createObjectNode().put("chatUUID", chatUUID);
        if (handle != null) body.put("handle", handle.startsWith("@") ? handle.substring(1) : handle);
        api.patch("/chat/handle", body);
    }

    // ---- a forum's subs (topics): its admins may (MANAGE_SUBS) ------------------------------------------------

    /** Starts a sub named {@code name} in {@code chatUUID}; returns its id. */
    public int createSub(String chatUUID, String name) {
        return api.post("/chat/sub/create", Json.mapper().createObjectNode().put("chatUUID", chatUUID)
                .put("name", name).put("type", "TEXT")).path("id").asInt();
    }

    public void renameSub(String chatUUID, int subID, String name) {
        api.patch("/chat/sub/rename", Json.mapper().createObjectNode().put("chatUUID", chatUUID).put("id", subID)
                .put("name", name));
    }

    /** Deletes a sub with its messages, for everyone in the chat. */
    public void deleteSub(String chatUUID, int subID) {
        api.delete("/chat/sub/delete", Json.mapper().createObjectNode().put("chatUUID", chatUUID).put("id", subID));
    }

    // ---- moderation (docs/protocol.md#moderation): the server checks the permission table --------------------

    /** Adds members; returns those the server added (the others were members already). */
    public List<String> invite(String chatUUID, List<String> userUUIDs) {
        ObjectNode body = Json.mapper().createObjectNode().put("chatUUID", chatUUID);
        body.putArray("userUUIDs").addAll(userUUIDs.stream().map(Json.mapper().getNodeFactory()::textNode).toList());
        List<String> added = new ArrayList<>();
        api.post("/chat/invite", body).path("userUUIDs").forEach(n -> added.add(n.asText()));
        return added;
    }

    /** Removes a member; they may rejoin or be invited back. */
    public void kick(String chatUUID, String userUUID) {
        api.post("/chat/kick", member(chatUUID, userUUID));
    }

    /** Bans a user (removing them when a member) until unbanned, or lifts the ban. */
    public void ban(String chatUUID, String userUUID, boolean add) {
        if (add) api.put("/chat/ban", member(chatUUID, userUUID));
        else api.delete("/chat/ban", member(chatUUID, userUUID));
    }

    /** One ban as {@code GET /chat/bans} lists it. */
    public record Ban(String userUUID, String by, String bannedAt) {
    }

    /** Who is banned from the chat, oldest ban first (for those who may ban). */
    public List<Ban> bans(String chatUUID) {
        List<Ban> out = new ArrayList<>();
        for (JsonNode n : api.get("/chat/bans", Map.of("chatUUID", chatUUID)).path("bans")) {
            out.add(new Ban(n.path("userUUID").asText(), n.path("by").asText(null), n.path("bannedAt").asText(null)));
        }
        return out;
    }

    /** Grants a member the admin role, or revokes it (the owner may). */
    public void setAdmin(String chatUUID, String userUUID, boolean grant) {
        if (grant) api.put("/chat/admin", member(chatUUID, userUUID));
        else api.delete("/chat/admin", member(chatUUID, userUUID));
    }

    /** Hands the chat's ownership over to a member; the caller stays an admin. */
    public void transferOwnership(String chatUUID, String userUUID) {
        api.post("/chat/owner", member(chatUUID, userUUID));
    }

    private static ObjectNode member(String chatUUID, String userUUID) {
        return Json.mapper().createObjectNode().put("chatUUID", chatUUID).put("userUUID", userUUID);
    }

    /** Pins a chat for this account at {@code position} (0 first); unpins it when {@code position} is null. */
    public void pinChat(String chatUUID, Integer position) {
        ObjectNode body = Json.mapper().createObjectNode().put("chatUUID", chatUUID);
        if (position == null) api.delete("/chat/pin", body);
        else api.put("/chat/pin", body.put("position", position));
    }

    /** Adds a message to the account's favourites, or removes it. */
    public void favorite(String chatUUID, int subID, long messageId, boolean add) {
        if (add) api.put("/message/favorite", target(chatUUID, subID, messageId));
        else api.delete("/message/favorite", target(chatUUID, subID, messageId));
    }

    /**
     * Changes the account's profile: each field of {@code changes} ({@code name}, {@code surname},
     * {@code biography}, {@code birthday}, {@code color}, …) to its value, an empty one clearing it.
     */
    public void updateProfile(Map<String, String> changes) {
        ObjectNode body = Json.mapper().createObjectNode();
        changes.forEach(body::put);
        api.patch("/user/profile", body);
    }

    /** Sets one of the account's synced settings; a null value removes it. */
    public void setPreference(String key, JsonNode value) {
        ObjectNode body = Json.mapper().createObjectNode().put("key", key);
        body.set("value", value == null ? Json.mapper().nullNode() : value);
        api.put("/user/settings/preferences", body);
    }

    /**
     * Fetches messages older than {@code beforeId} from the server's history into the store. Only ids below what
     * the store holds are written, so the sub's cursor (its highest id) never moves.
     */
    public int fetchOlder(String chatUUID, int subID, long beforeId, int limit) {
        JsonNode data = api.get("/message/history", Map.of("chatUUID", chatUUID, "subID", String.valueOf(subID),
                "before", String.valueOf(beforeId), "limit", String.valueOf(Math.min(limit, 500))));
        List<Message> older = new ArrayList<>();
        for (JsonNode n : data.path("messages")) {
            Message m = ApiClient.decode(n, Message.class, "message");
            if (m.id() < beforeId) older.add(m);
        }
        if (older.isEmpty()) return 0;
        return db.inTransaction(tx -> {
            StoreWriter w = new StoreWriter(tx);
            if (!w.chatExists(chatUUID)) return 0;
            for (Message m : older) {
                if (chatUUID.equals(m.chatUUID()) && m.subID() == subID) w.upsertMessage(m);
            }
            return older.size();
        });
    }

    private static ObjectNode target(String chatUUID, int subID, long messageId) {
        return Json.mapper().createObjectNode().put("chatUUID", chatUUID).put("subID", subID)
                .put("messageID", messageId);
    }
}
