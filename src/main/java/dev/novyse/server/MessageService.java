package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.UserEvent;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Message writes and reads. Each handler validates everything, then writes in one transaction. A new message is
 * checked and committed by {@link NewMessages}; one with files is handed to {@link FileService}, which commits it
 * once its files are uploaded.
 */
final class MessageService {
    static final int MAX_REACTION = 32;

    private final ServerDatabase db;
    private final Clock clock;
    private final NewMessages newMessages;
    private final FileService files;

    MessageService(ServerDatabase db, Clock clock, NewMessages newMessages, FileService files) {
        this.db = db;
        this.clock = clock;
        this.newMessages = newMessages;
        this.files = files;
    }

    /** {@code message:update} to every member once the change has committed; messageID is a string on the socket. */
    private void announceUpdate(Connection c, Target t, String action, long chatEventID, ObjectNode extra)
            throws SQLException {
        ObjectNode payload = Http.object().put("chatUUID", t.chat()).put("subID", t.sub())
                .put("messageID", Long.toString(t.id())).put("action", action).put("chatEventID", chatEventID);
        if (extra != null) {
            payload.setAll(extra);
        }
        List<String> to = Access.members(c, t.chat());
        db.announce(Announcement.inChat(t.chat(), to, "message:update", payload));
    }

    /** The target of a message request: chat, sub and message id, read from the body. */
    private record Target(String chat, int sub, long id) {
        static Target of(Body b) {
            return new Target(b.string("chatUUID", 64), b.subId("subID"), b.integer("messageID", 1, Long.MAX_VALUE));
        }
    }

    /** {@code base}: the server address the caller used, for the upload URLs of a message with files. */
    NewMessages.Sent send(String sender, Body b, String base) {
        NewMessages.Draft d = NewMessages.draft(b);
        if (!d.files().isEmpty()) {
            return files.prepare(sender, d, base);
        }
        return db.write(c -> {
            NewMessages.requireCanPost(c, d, sender);
            Message existing = NewMessages.byTempId(c, sender, d.tempId());
            if (existing != null) {
                return new NewMessages.Sent(existing, false);
            }
            NewMessages.requireReplies(c, d);
            return new NewMessages.Sent(newMessages.commit(c, sender, d), true);
        });
    }

    Message get(String viewer, String chat, int sub, long id) {
        return db.read(c -> {
            Access.requireMember(c, chat, viewer);
            Message m = MessageReader.one(c, chat, sub, id, viewer);
            if (m == null) {
                throw ApiError.notFound("message not found");
            }
            return m;
        });
    }

    ObjectNode history(String viewer, String chat, int sub, long before, int limit) {
        return db.read(c -> {
            Access.requireMember(c, chat, viewer);
            List<Message> page = MessageReader.before(c, chat, sub, before, limit + 1, viewer);
            boolean more = page.size() > limit;
            List<Message> shown = more ? page.subList(1, page.size()) : page;
            ObjectNode out = Http.object();
            out.set("messages", Json.mapper().valueToTree(shown));
            out.put("hasMore", more);
            return out;
        });
    }

    /**
     * Checks the caller is a member holding {@code right} (null: any member, as for a favourite, which is their own)
     * and that the message is live (not deleted); returns its sender.
     */
    private static String requireLiveMessage(Connection c, Target t, String caller, Permissions.Right right)
            throws SQLException {
        Access.Membership me = Access.requireMember(c, t.chat(), caller);
        if (right != null) {
            Access.require(me, right);
        }
        Access.requireSub(c, t.chat(), t.sub()); // a deleted sub's messages are gone for clients
        String sender = queryString(c, "SELECT sender_uuid FROM messages WHERE chat_uuid=? AND sub_id=? AND id=? AND deleted=0",
                t.chat(), t.sub(), t.id());
        if (sender == null) {
            throw ApiError.notFound("message not found");
        }
        return sender;
    }

    private static ObjectNode messagePayload(Target t) {
        return Http.object().put("messageID", t.id()).put("subID", t.sub());
    }

    private long chatEvent(Connection c, Target t, String type, String actor, ObjectNode payload) throws SQLException {
        return EventLog.chatEvent(c, t.chat(), type, actor, Times.iso(clock), payload, t.sub(), t.id());
    }

    ObjectNode edit(String caller, Body b) {
        Target t = Target.of(b);
        String content = b.optString("content", NewMessages.MAX_CONTENT);
        return db.write(c -> {
            String sender = requireLiveMessage(c, t, caller, Permissions.Right.EDIT_OWN);
            if (!sender.equals(caller)) {
                throw ApiError.forbidden("only the author may edit a message");
            }
            boolean hasFiles = queryLong(c, "SELECT 1 FROM message_files WHERE chat_uuid=? AND sub_id=? AND message_id=? LIMIT 1",
                    t.chat(), t.sub(), t.id()) != null;
            if ((content == null || content.isBlank()) && !hasFiles) {
                throw ApiError.badRequest("an edit must leave content or files");
            }
            update(c, "UPDATE messages SET content=?, edited=1 WHERE chat_uuid=? AND sub_id=? AND id=?",
                    content, t.chat(), t.sub(), t.id());
            ObjectNode payload = messagePayload(t).put("content", content);
            payload.set("files", Json.mapper().valueToTree(MessageReader.one(c, t.chat(), t.sub(), t.id(), caller).files()));
            long event = chatEvent(c, t, ChatEvent.MESSAGE_EDITED, caller, payload);
            ObjectNode extra = Http.object().put("content", content).put("userUUID", caller); // who: an extension
            extra.set("files", payload.get("files"));
            announceUpdate(c, t, "edit", event, extra);
            return Http.object().put("chatEventID", event);
        });
    }

    ObjectNode delete(String caller, Body b) {
        Target t = Target.of(b);
        return db.write(c -> {
            Access.Membership me = Access.requireMember(c, t.chat(), caller);
            Access.requireSub(c, t.chat(), t.sub());
            String sender = queryString(c, "SELECT sender_uuid FROM messages WHERE chat_uuid=? AND sub_id=? AND id=?",
                    t.chat(), t.sub(), t.id());
            if (sender == null) {
                throw ApiError.notFound("message not found");
            }
            Access.require(me, sender.equals(caller) ? Permissions.Right.DELETE_OWN : Permissions.Right.DELETE_ANY);
            if (queryLong(c, "SELECT deleted FROM messages WHERE chat_uuid=? AND sub_id=? AND id=?",
                    t.chat(), t.sub(), t.id()) != 0) {
                return Http.object(); // already a tombstone: a retried delete logs nothing
            }
            Object[] key = {t.chat(), t.sub(), t.id()};
            // A tombstone has no files: their bytes go too, once the delete has committed.
            List<String> stored = ServerDatabase.queryStrings(c,
                    "SELECT file_uuid FROM message_files WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
            if (!stored.isEmpty()) {
                db.afterCommit(() -> files.discard(stored));
            }
            update(c, "UPDATE messages SET content=NULL, deleted=1 WHERE chat_uuid=? AND sub_id=? AND id=?", key);
            update(c, "DELETE FROM message_files WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
            update(c, "DELETE FROM reactions WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
            update(c, "DELETE FROM pins WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
            update(c, "DELETE FROM favorites WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
            long event = chatEvent(c, t, ChatEvent.MESSAGE_DELETED, caller, messagePayload(t));
            announceUpdate(c, t, "delete", event, Http.object().put("userUUID", caller)); // who: an extension
            return Http.object().put("chatEventID", event);
        });
    }

    ObjectNode react(String caller, Body b, boolean add) {
        Target t = Target.of(b);
        String reaction = b.string("reaction", MAX_REACTION);
        if (reaction.isBlank()) {
            throw ApiError.badRequest("field 'reaction' must not be blank");
        }
        return db.write(c -> {
            requireLiveMessage(c, t, caller, Permissions.Right.REACT);
            Object[] key = {t.chat(), t.sub(), t.id(), caller, reaction};
            boolean present = queryLong(c, "SELECT 1 FROM reactions WHERE chat_uuid=? AND sub_id=? AND message_id=?"
                    + " AND user_uuid=? AND reaction=?", key) != null;
            String at = Times.iso(clock);
            ObjectNode out = Http.object();
            if (add && !present) {
                update(c, "INSERT INTO reactions(chat_uuid, sub_id, message_id, user_uuid, reaction, created_at)"
                        + " VALUES(?,?,?,?,?,?)", t.chat(), t.sub(), t.id(), caller, reaction, at);
                long event = chatEvent(c, t, ChatEvent.REACTION_ADDED, caller, messagePayload(t).put("reaction", reaction));
                announceUpdate(c, t, "reaction_add", event,
                        Http.object().put("reaction", reaction).put("reactedAt", at).put("userUUID", caller));
                out.put("chatEventID", event);
                out.put("reactedAt", at);
            } else if (!add && present) {
                update(c, "DELETE FROM reactions WHERE chat_uuid=? AND sub_id=? AND message_id=? AND user_uuid=? AND reaction=?", key);
                long event = chatEvent(c, t, ChatEvent.REACTION_REMOVED, caller, messagePayload(t).put("reaction", reaction));
                announceUpdate(c, t, "reaction_remove", event, Http.object().put("reaction", reaction).put("userUUID", caller));
                out.put("chatEventID", event);
            }
            return out;
        });
    }

    ObjectNode pin(String caller, Body b, boolean add) {
        Target t = Target.of(b);
        return db.write(c -> {
            requireLiveMessage(c, t, caller, Permissions.Right.PIN); // in a CHANNEL: admins only
            Object[] key = {t.chat(), t.sub(), t.id()};
            boolean present = queryLong(c, "SELECT 1 FROM pins WHERE chat_uuid=? AND sub_id=? AND message_id=?", key) != null;
            String at = Times.iso(clock);
            ObjectNode out = Http.object();
            if (add && !present) {
                update(c, "INSERT INTO pins(chat_uuid, sub_id, message_id, pinned_at, pinned_by) VALUES(?,?,?,?,?)",
                        t.chat(), t.sub(), t.id(), at, caller);
                long event = chatEvent(c, t, ChatEvent.MESSAGE_PINNED, caller, messagePayload(t));
                announceUpdate(c, t, "pin_add", event, Http.object().put("pinnedAt", at).put("pinnedBy", caller));
                out.put("chatEventID", event);
                out.put("pinnedAt", at);
            } else if (!add && present) {
                update(c, "DELETE FROM pins WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
                long event = chatEvent(c, t, ChatEvent.MESSAGE_UNPINNED, caller, messagePayload(t));
                announceUpdate(c, t, "pin_remove", event, Http.object().put("userUUID", caller)); // who: an extension
                out.put("chatEventID", event);
            }
            return out;
        });
    }

    ObjectNode read(String caller, Body b) {
        Target t = Target.of(b);
        return db.write(c -> {
            Access.requireMember(c, t.chat(), caller);
            Access.requireSub(c, t.chat(), t.sub());
            if (queryLong(c, "SELECT 1 FROM messages WHERE chat_uuid=? AND sub_id=? AND id=?", t.chat(), t.sub(), t.id()) == null) {
                throw ApiError.notFound("message not found");
            }
            Long current = queryLong(c, "SELECT message_id FROM reads WHERE chat_uuid=? AND sub_id=? AND user_uuid=?",
                    t.chat(), t.sub(), caller);
            ObjectNode out = Http.object().put("userUUID", caller);
            if (current != null && current >= t.id()) {
                // A read watermark only moves forward.
                out.put("readAt", queryString(c, "SELECT read_at FROM reads WHERE chat_uuid=? AND sub_id=? AND user_uuid=?",
                        t.chat(), t.sub(), caller));
                return out;
            }
            String at = Times.iso(clock);
            update(c, "INSERT INTO reads(chat_uuid, sub_id, user_uuid, message_id, read_at) VALUES(?,?,?,?,?)"
                    + " ON CONFLICT(chat_uuid, sub_id, user_uuid) DO UPDATE SET message_id=excluded.message_id,"
                    + " read_at=excluded.read_at", t.chat(), t.sub(), caller, t.id(), at);
            out.put("readAt", at);
            long event = chatEvent(c, t, ChatEvent.MESSAGE_READ, caller, messagePayload(t));
            out.put("chatEventID", event);
            ObjectNode read = Http.object().put("chatUUID", t.chat()).put("subID", t.sub())
                    .put("messageID", Long.toString(t.id())).put("chatEventID", event).put("userUUID", caller).put("readAt", at);
            List<String> to = Access.members(c, t.chat());
            db.announce(Announcement.inChat(t.chat(), to, "message:read", read));
            return out;
        });
    }

    ObjectNode favorite(String caller, Body b, boolean add) {
        Target t = Target.of(b);
        return db.write(c -> {
            requireLiveMessage(c, t, caller, null);
            Object[] key = {caller, t.chat(), t.sub(), t.id()};
            boolean present = queryLong(c, "SELECT 1 FROM favorites WHERE user_uuid=? AND chat_uuid=? AND sub_id=?"
                    + " AND message_id=?", key) != null;
            String at = Times.iso(clock);
            ObjectNode out = Http.object();
            ObjectNode payload = Http.object().put("chatUUID", t.chat()).put("subID", t.sub()).put("messageID", t.id());
            if (add && !present) {
                update(c, "INSERT INTO favorites(user_uuid, chat_uuid, sub_id, message_id, created_at) VALUES(?,?,?,?,?)",
                        caller, t.chat(), t.sub(), t.id(), at);
                out.put("createdAt", at);
                out.put("userEventID", EventLog.userEvent(c, caller, UserEvent.MESSAGE_FAVORITED, t.chat(), at, payload));
                announceFavorite(caller, t, "favorite_add", out.get("userEventID").asLong());
            } else if (!add && present) {
                update(c, "DELETE FROM favorites WHERE user_uuid=? AND chat_uuid=? AND sub_id=? AND message_id=?", key);
                out.put("userEventID", EventLog.userEvent(c, caller, UserEvent.MESSAGE_UNFAVORITED, t.chat(), at, payload));
                announceFavorite(caller, t, "favorite_remove", out.get("userEventID").asLong());
            }
            return out;
        });
    }

    private void announceFavorite(String user, Target t, String action, long userEventID) {
        ObjectNode payload = Http.object().put("chatUUID", t.chat()).put("subID", t.sub())
                .put("messageID", Long.toString(t.id())).put("action", action).put("userEventID", userEventID);
        db.announce(Announcement.ofUser(user, List.of(user), "user:message:favorite:update", payload));
    }

    /** Typing and similar activity: relayed to the other members, never stored. */
    void activity(String user, com.fasterxml.jackson.databind.JsonNode payload) {
        String chat = payload.path("chatUUID").asText("");
        String action = payload.path("action").asText("");
        if (chat.isEmpty() || action.isEmpty() || action.length() > 32) {
            return;
        }
        List<String> to = db.read(c -> {
            List<String> m = new java.util.ArrayList<>(Access.members(c, chat));
            return m.remove(user) ? m : List.<String>of();
        });
        db.relay(to, "chat:member:activity", Http.object().put("chatUUID", chat).put("userUUID", user).put("action", action));
    }

    static ArrayNode array() {
        return Json.mapper().createArrayNode();
    }
}
