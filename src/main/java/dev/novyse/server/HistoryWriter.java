package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Timestamps;
import dev.novyse.protocol.UserEvent;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.update;

/**
 * A chat history written straight into the tables, at the instants given, for seeding a fresh server in-process
 * ({@code novyse demo}, through {@link InProcessCalls#writeHistory}): the rows and event-log entries the message
 * endpoints write for posts, replies, reactions, edits, deletions, pins, reads and favourites, but batched in one
 * transaction with prepared statements reused, not one request and a dozen statements each. A few thousand actions
 * take a fraction of a second, where the endpoints called in-process took over two.
 *
 * <p>The invariants stay those of the endpoints: dense message ids per sub and dense event ids per chat and per
 * user (counted here from the stored sequences and written back at the end), a read watermark that only moves
 * forward (and logs an event only when it moves), a second pin or favourite of a message that changes nothing,
 * and a deletion that leaves a tombstone without reactions, pin or
 * favourite. What the endpoints check for a caller (membership, authorship, that the message exists and is live)
 * the writer trusts its caller with: the seeder plans only what the endpoints would allow. Nothing is announced on
 * the live channel; a seeded server has nobody listening yet.
 */
public final class HistoryWriter {
    private static final int BATCH = 1_000;

    private final Connection c;
    private final PreparedStatement message;
    private final PreparedStatement reply;
    private final PreparedStatement reaction;
    private final PreparedStatement chatEvent;
    private final PreparedStatement userEvent;
    private final PreparedStatement pin;
    private final PreparedStatement read;
    private final PreparedStatement favourite;
    private final List<PreparedStatement> batches;
    private final Map<String, Long> nextMessageId = new HashMap<>();
    private final Map<String, Long> chatEventSeq = new HashMap<>();
    private final Map<String, Long> userEventSeq = new HashMap<>();
    private final Map<String, Long> watermarks = new HashMap<>();
    /** Pins and favourites written here: as with the endpoints, a second one of the same message changes nothing. */
    private final Set<String> pinned = new HashSet<>();
    private final Set<String> favourites = new HashSet<>();
    private int pending;

    HistoryWriter(Connection c) throws SQLException {
        this.c = c;
        message = c.prepareStatement("INSERT INTO messages(chat_uuid, sub_id, id, sender_uuid, content, type, created_at,"
                + " temp_id) VALUES(?,?,?,?,?,'message',?,?)");
        reply = c.prepareStatement("INSERT INTO message_replies(chat_uuid, sub_id, message_id, seq, reply_chat_uuid,"
                + " reply_sub_id, reply_message_id) VALUES(?,?,?,0,?,?,?)");
        reaction = c.prepareStatement("INSERT INTO reactions(chat_uuid, sub_id, message_id, user_uuid, reaction,"
                + " created_at) VALUES(?,?,?,?,?,?)");
        chatEvent = c.prepareStatement("INSERT INTO chat_events(chat_uuid, id, type, user_uuid, created_at, payload,"
                + " sub_id, message_id) VALUES(?,?,?,?,?,?,?,?)");
        userEvent = c.prepareStatement("INSERT INTO user_events(user_uuid, id, type, chat_uuid, created_at, payload)"
                + " VALUES(?,?,?,?,?,?)");
        pin = c.prepareStatement("INSERT INTO pins(chat_uuid, sub_id, message_id, pinned_at, pinned_by)"
                + " VALUES(?,?,?,?,?)");
        read = c.prepareStatement("INSERT INTO reads(chat_uuid, sub_id, user_uuid, message_id, read_at) VALUES(?,?,?,?,?)"
                + " ON CONFLICT(chat_uuid, sub_id, user_uuid) DO UPDATE SET message_id=excluded.message_id,"
                + " read_at=excluded.read_at");
        favourite = c.prepareStatement("INSERT INTO favorites(user_uuid, chat_uuid, sub_id, message_id, created_at)"
                + " VALUES(?,?,?,?,?)");
        batches = List.of(message, reply, reaction, chatEvent, userEvent, pin, read, favourite);
    }

    /** A new message by {@code sender} at {@code at}, replying to {@code replyTo} in the same sub (or null); its id. */
    public long post(String chat, int sub, String sender, String content, String tempId, Long replyTo, Instant at)
            throws SQLException {
        String key = chat + "/" + sub;
        Long next = nextMessageId.get(key);
        if (next == null) {
            next = queryLong(c, "SELECT next_message_id FROM subs WHERE chat_uuid=? AND id=?", chat, sub);
            if (next == null) throw new IllegalArgumentException("no sub " + key);
        }
        long id = next;
        nextMessageId.put(key, id + 1);
        add(message, chat, sub, id, sender, content, iso(at), tempId);
        if (replyTo != null) add(reply, chat, sub, id, chat, sub, replyTo);
        return id;
    }

    public void react(String chat, int sub, long id, String user, String emoji, Instant at) throws SQLException {
        add(reaction, chat, sub, id, user, emoji, iso(at));
        event(chat, sub, id, ChatEvent.REACTION_ADDED, user, at, payload(sub, id).put("reaction", emoji));
    }

    public void edit(String chat, int sub, long id, String user, String content, Instant at) throws SQLException {
        flush(); // the message's row may still wait in a batch
        update(c, "UPDATE messages SET content=?, edited=1 WHERE chat_uuid=? AND sub_id=? AND id=?", content, chat, sub, id);
        ObjectNode payload = payload(sub, id).put("content", content);
        payload.putArray("files");
        event(chat, sub, id, ChatEvent.MESSAGE_EDITED, user, at, payload);
    }

    public void delete(String chat, int sub, long id, String user, Instant at) throws SQLException {
        flush();
        Object[] key = {chat, sub, id};
        update(c, "UPDATE messages SET content=NULL, deleted=1 WHERE chat_uuid=? AND sub_id=? AND id=?", key);
        update(c, "DELETE FROM reactions WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
        update(c, "DELETE FROM pins WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
        update(c, "DELETE FROM favorites WHERE chat_uuid=? AND sub_id=? AND message_id=?", key);
        pinned.remove(chat + "/" + sub + "/" + id);
        favourites.removeIf(f -> f.endsWith("/" + chat + "/" + sub + "/" + id));
        event(chat, sub, id, ChatEvent.MESSAGE_DELETED, user, at, payload(sub, id));
    }

    public void pin(String chat, int sub, long id, String user, Instant at) throws SQLException {
        if (!pinned.add(chat + "/" + sub + "/" + id)) return;
        add(pin, chat, sub, id, iso(at), user);
        event(chat, sub, id, ChatEvent.MESSAGE_PINNED, user, at, payload(sub, id));
    }

    /** {@code user} has read up to {@code id}; as with the endpoint, an older watermark changes nothing. */
    public void read(String chat, int sub, long id, String user, Instant at) throws SQLException {
        String key = chat + "/" + sub + "/" + user;
        Long current = watermarks.get(key);
        if (current == null) {
            flush();
            current = queryLong(c, "SELECT message_id FROM reads WHERE chat_uuid=? AND sub_id=? AND user_uuid=?",
                    chat, sub, user);
        }
        if (current != null && current >= id) {
            watermarks.put(key, current);
            return;
        }
        watermarks.put(key, id);
        add(read, chat, sub, user, id, iso(at));
        event(chat, sub, id, ChatEvent.MESSAGE_READ, user, at, payload(sub, id));
    }

    public void favourite(String chat, int sub, long id, String user, Instant at) throws SQLException {
        if (!favourites.add(user + "/" + chat + "/" + sub + "/" + id)) return;
        add(favourite, user, chat, sub, id, iso(at));
        ObjectNode payload = Http.object().put("chatUUID", chat).put("subID", sub).put("messageID", id);
        long seq = next(userEventSeq, user, "SELECT user_event_seq FROM users WHERE uuid=?");
        add(userEvent, user, seq, UserEvent.MESSAGE_FAVORITED, chat, iso(at), payload.toString());
    }

    /** Writes what waits in the batches and the sequences, so the tables are complete; called once at the end. */
    void finish() throws SQLException {
        flush();
        for (Map.Entry<String, Long> e : nextMessageId.entrySet()) {
            int slash = e.getKey().lastIndexOf('/');
            update(c, "UPDATE subs SET next_message_id=? WHERE chat_uuid=? AND id=?", e.getValue(),
                    e.getKey().substring(0, slash), Integer.parseInt(e.getKey().substring(slash + 1)));
        }
        for (Map.Entry<String, Long> e : chatEventSeq.entrySet()) {
            update(c, "UPDATE chats SET event_seq=? WHERE uuid=?", e.getValue(), e.getKey());
        }
        for (Map.Entry<String, Long> e : userEventSeq.entrySet()) {
            update(c, "UPDATE users SET user_event_seq=? WHERE uuid=?", e.getValue(), e.getKey());
        }
        for (PreparedStatement ps : batches) ps.close();
    }

    private void event(String chat, int sub, long id, String type, String actor, Instant at, ObjectNode payload)
            throws SQLException {
        long seq = next(chatEventSeq, chat, "SELECT event_seq FROM chats WHERE uuid=?");
        add(chatEvent, chat, seq, type, actor, iso(at), payload.toString(), sub, id);
    }

    /** The next id of a sequence kept in memory from its stored value on. */
    private long next(Map<String, Long> seqs, String owner, String stored) throws SQLException {
        Long last = seqs.get(owner);
        if (last == null) {
            last = queryLong(c, stored, owner);
            if (last == null) throw new IllegalArgumentException("no sequence for " + owner);
        }
        seqs.put(owner, last + 1);
        return last + 1;
    }

    private static ObjectNode payload(int sub, long id) {
        return Http.object().put("messageID", id).put("subID", sub);
    }

    private static String iso(Instant at) {
        return Timestamps.of(at);
    }

    private void add(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) ps.setObject(i + 1, args[i]);
        ps.addBatch();
        if (++pending >= BATCH) flush();
    }

    /** In table order, so a reply, reaction or event never reaches SQLite before its message. */
    private void flush() throws SQLException {
        if (pending == 0) return;
        for (PreparedStatement ps : batches) ps.executeBatch();
        pending = 0;
    }
}
