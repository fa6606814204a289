package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Message;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * A new message from its request body to its committed row: the checks and the write that a plain send
 * ({@link MessageService}) and the confirm of a send with files ({@link FileService}) share, so neither service needs
 * the other for them.
 */
final class NewMessages {
    static final int MAX_CONTENT = 16_384;
    static final int MAX_FILES = 10;
    /** One file at most 1 GiB: bytes stream to disk, so this bounds disk use per request, not memory. */
    static final long MAX_FILE_BYTES = 1L << 30;
    static final int MAX_NAME = 255;

    private final ServerDatabase db;
    private final Clock clock;

    NewMessages(ServerDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    record Reply(String chat, int sub, long id, Integer start, Integer end) {
    }

    /** An attached file as declared by the author; {@code uuid} is the server's, given when the file is registered. */
    record NewFile(String uuid, String name, String mimeType, long size, Double duration) {
    }

    /** A validated {@code POST /message} body. */
    record Draft(String chat, int sub, String content, String tempId, List<NewFile> files, List<Reply> replies) {
    }

    /** What {@code POST /message} answers: a committed {@link Message}, or a {@link dev.novyse.protocol.PendingSend}. */
    record Sent(Object reply, boolean created) {
    }

    /** Reads and checks every field of a send before anything is written. */
    static Draft draft(Body b) {
        String chat = b.string("chatUUID", 64);
        int sub = b.subId("subID");
        String content = b.optString("content", MAX_CONTENT);
        String type = b.optString("type", 32);
        if (type != null && !type.equals("message")) {
            throw ApiError.badRequest("field 'type' must be \"message\"");
        }
        String tempId = b.optString("tempId", 64);
        if (tempId != null && tempId.isEmpty()) {
            throw ApiError.badRequest("field 'tempId' must not be empty");
        }
        List<NewFile> files = b.objects("files", MAX_FILES).stream().map(NewMessages::declared).toList();
        List<Reply> replies = b.objects("replyTos", 10).stream()
                .map(r -> new Reply(r.has("chatUUID") ? r.string("chatUUID", 64) : chat, r.subId("subID"),
                        r.integer("messageID", 1, Long.MAX_VALUE),
                        intOrNull(r.optInteger("rangeStart", 0, Integer.MAX_VALUE)),
                        intOrNull(r.optInteger("rangeEnd", 0, Integer.MAX_VALUE))))
                .toList();
        if ((content == null || content.isBlank()) && files.isEmpty()) {
            throw ApiError.badRequest("a message needs content or files");
        }
        return new Draft(chat, sub, content, tempId, files, replies);
    }

    /** One entry of {@code files:[{name, size, mimeType, duration?}]}, checked. */
    static NewFile declared(Body f) {
        String name = f.string("name", MAX_NAME);
        if (name.isBlank() || name.chars().anyMatch(ch -> ch < 0x20)) {
            throw ApiError.badRequest("a file's 'name' must not be blank or contain control characters");
        }
        String mime = f.optString("mimeType", 255);
        long size = f.integer("size", 0, Long.MAX_VALUE);
        if (size > MAX_FILE_BYTES) {
            throw ApiError.tooLarge("a file may be at most " + MAX_FILE_BYTES + " bytes");
        }
        Double duration = null;
        JsonNode d = f.raw("duration");
        if (d != null && !d.isNull()) {
            if (!d.isNumber() || d.doubleValue() < 0 || !Double.isFinite(d.doubleValue())) {
                throw ApiError.badRequest("a file's 'duration' must be a non-negative number of seconds");
            }
            duration = d.doubleValue();
        }
        return new NewFile(null, name, mime, size, duration);
    }

    /** Member of the chat, the sub exists, and in a CHANNEL an admin: checked at send and again at confirm. */
    static void requireCanPost(Connection c, Draft d, String sender) throws SQLException {
        Access.require(c, d.chat(), sender, Permissions.Right.SEND); // in a CHANNEL: admins only
        Access.requireSub(c, d.chat(), d.sub());
    }

    /** The author's committed message with this idempotency key, or null. */
    static Message byTempId(Connection c, String sender, String tempId) throws SQLException {
        if (tempId == null) {
            return null;
        }
        String existing = queryString(c, "SELECT chat_uuid || ' ' || sub_id || ' ' || id FROM messages"
                + " WHERE sender_uuid=? AND temp_id=?", sender, tempId);
        if (existing == null) {
            return null;
        }
        String[] parts = existing.split(" ");
        return MessageReader.one(c, parts[0], Integer.parseInt(parts[1]), Long.parseLong(parts[2]), sender);
    }

    static void requireReplies(Connection c, Draft d) throws SQLException {
        for (Reply r : d.replies()) {
            if (!r.chat().equals(d.chat())) {
                throw ApiError.badRequest("replies must point into the same chat");
            }
            if (queryLong(c, "SELECT 1 FROM messages WHERE chat_uuid=? AND sub_id=? AND id=?", r.chat(), r.sub(), r.id()) == null) {
                throw ApiError.notFound("the message replied to does not exist");
            }
        }
    }

    /**
     * Writes the message under the next id of its sub, with its files (their uuids already given) and replies, and
     * announces {@code message:new} once the transaction has committed.
     */
    Message commit(Connection c, String sender, Draft d) throws SQLException {
        String chat = d.chat();
        int sub = d.sub();
        update(c, "UPDATE subs SET next_message_id = next_message_id + 1 WHERE chat_uuid=? AND id=?", chat, sub);
        long id = queryLong(c, "SELECT next_message_id - 1 FROM subs WHERE chat_uuid=? AND id=?", chat, sub);
        String at = Times.iso(clock);
        update(c, "INSERT INTO messages(chat_uuid, sub_id, id, sender_uuid, content, type, created_at, temp_id)"
                + " VALUES(?,?,?,?,?,'message',?,?)", chat, sub, id, sender, d.content(), at, d.tempId());
        int fileSeq = 0;
        for (NewFile f : d.files()) {
            update(c, "INSERT INTO message_files(chat_uuid, sub_id, message_id, file_uuid, name, mime_type, size, duration,"
                    + " seq) VALUES(?,?,?,?,?,?,?,?,?)", chat, sub, id, f.uuid(), f.name(), f.mimeType(), f.size(),
                    f.duration(), fileSeq++);
        }
        int seq = 0;
        for (Reply r : d.replies()) {
            update(c, "INSERT INTO message_replies(chat_uuid, sub_id, message_id, seq, reply_chat_uuid, reply_sub_id,"
                    + " reply_message_id, range_start, range_end) VALUES(?,?,?,?,?,?,?,?,?)",
                    chat, sub, id, seq++, r.chat(), r.sub(), r.id(), r.start(), r.end());
        }
        Message created = MessageReader.one(c, chat, sub, id, sender);
        List<String> others = new ArrayList<>(Access.members(c, chat));
        others.remove(sender);
        Message forOthers = withoutTempId(created);
        db.announce(Announcement.inChat(chat, List.of(sender), "message:new", created));
        db.announce(Announcement.inChat(chat, others, "message:new", forOthers));
        return created;
    }

    /** The author's idempotency key is nobody else's business. */
    private static Message withoutTempId(Message m) {
        return new Message(m.id(), m.chatUUID(), m.subID(), m.userUUID(), m.content(), m.type(), m.systemAction(),
                m.createdAt(), m.edited(), m.pinned(), m.pinnedAt(), m.pinnedBy(), m.replyTos(), m.files(), m.reads(),
                m.reactions(), m.deleted(), null);
    }

    private static Integer intOrNull(Long v) {
        return v == null ? null : v.intValue();
    }
}
