package dev.novyse.store;

import dev.novyse.protocol.FileRef;
import dev.novyse.protocol.Reaction;
import dev.novyse.protocol.Read;
import dev.novyse.protocol.ReplyTo;

import java.util.List;

/**
 * The rows that hang off one message (reactions, files, reads, replies, and for a deletion its edits, pin and
 * favourite), written inside the {@link StoreWriter}'s transaction. Like every write of the store they are keyed by
 * server ids, so writing the same message twice leaves the same rows.
 */
final class MessageChildRows {
    private static final String ADD_REACTION = "INSERT OR IGNORE INTO reaction_message(chatUUID, subID, messageID,"
            + " userUUID, reaction, at) VALUES (?, ?, ?, ?, ?, ?)";
    /** An existing row keeps its first readAt. */
    private static final String MARK_READ = "INSERT OR IGNORE INTO message_read(chatUUID, subID, messageID, userUUID,"
            + " readAt) VALUES (?, ?, ?, ?, ?)";

    private final Tx tx;

    MessageChildRows(Tx tx) {
        this.tx = tx;
    }

    /** Before a stored message is written again from its current state: the child rows that state replaces. */
    void clearRewritten(String chat, int sub, long id) {
        Object[] k = {chat, sub, id};
        tx.update("DELETE FROM reaction_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", k);
        tx.update("DELETE FROM message_files WHERE chatUUID = ? AND subID = ? AND messageID = ?", k);
        tx.update("DELETE FROM message_reply WHERE chatUUID = ? AND subID = ? AND messageID = ?", k);
    }

    void purgeDeletedContent(String chat, int sub, long id) {
        Object[] key = {chat, sub, id};
        tx.update("DELETE FROM reaction_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
        tx.update("DELETE FROM message_files WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
        tx.update("DELETE FROM message_reply WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
        tx.update("DELETE FROM edited_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
        tx.update("DELETE FROM pinned_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
        tx.update("DELETE FROM favorite_message WHERE chatUUID = ? AND subID = ? AND messageID = ?", key);
    }

    /** A message's reactions as it arrives: behind the queued message rows (Tx#queueChild), not ending their run. */
    void addReactions(String chat, int sub, long id, List<Reaction> reactions) {
        if (reactions == null) return;
        for (Reaction r : reactions) {
            if (r.userUUID() == null || r.reaction() == null) continue;
            tx.queueChild(ADD_REACTION, chat, sub, id, r.userUUID(), r.reaction(), r.createdAt());
        }
    }

    void replaceFiles(String chat, int sub, long id, List<FileRef> files) {
        tx.update("DELETE FROM message_files WHERE chatUUID = ? AND subID = ? AND messageID = ?", chat, sub, id);
        addFiles(chat, sub, id, files);
    }

    void addFiles(String chat, int sub, long id, List<FileRef> files) {
        if (files == null) return;
        int pos = 0;
        for (FileRef f : files) {
            if (f.uuid() == null) continue;
            tx.update("INSERT INTO file(uuid, name, mimeType, size, waveform, duration) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT(uuid) DO UPDATE SET name = excluded.name, mimeType = excluded.mimeType,"
                            + " size = excluded.size, waveform = COALESCE(excluded.waveform, file.waveform),"
                            + " duration = COALESCE(excluded.duration, file.duration)",
                    f.uuid(), f.name(), f.mimeType(), f.size(), f.waveform(), f.duration());
            tx.update("INSERT OR IGNORE INTO message_files(chatUUID, subID, messageID, fileUUID, position)"
                    + " VALUES (?, ?, ?, ?, ?)", chat, sub, id, f.uuid(), pos++);
        }
    }

    /**
     * Reads are merged, not replaced: a watermark only moves forward and nobody un-reads, so a re-delivered message
     * whose state predates a MESSAGE_READ event already applied (and now below the cursor, never re-sent) must not
     * erase that read. Replacing would make re-applying a batch lose rows (docs/architecture.md#invariant-2).
     */
    void mergeReads(String chat, int sub, long id, List<Read> reads) {
        if (reads == null) return;
        for (Read r : reads) {
            // behind the queued message rows (Tx#queueChild): a message that comes with reads no longer ends the
            // page's batch of message rows
            if (r.userUUID() != null) tx.queueChild(MARK_READ, chat, sub, id, r.userUUID(), r.readAt());
        }
    }

    void addReplies(String chat, int sub, long id, List<ReplyTo> replies) {
        if (replies == null) return;
        int pos = 0;
        for (ReplyTo r : replies) {
            // behind the queued message rows: a message written again had its replies cleared first (clearRewritten)
            tx.queueChild("INSERT INTO message_reply(chatUUID, subID, messageID, position, replyTo_chatUUID, replyTo_subID,"
                            + " replyTo_messageID, replyTo_rangeStart, replyTo_rangeEnd) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    chat, sub, id, pos++, r.chatUUID() == null ? chat : r.chatUUID(),
                    r.subID() == null ? sub : r.subID(), r.messageID(), r.rangeStart(), r.rangeEnd());
        }
    }

    void addReaction(String chat, int sub, long id, String userUUID, String reaction, String at) {
        tx.queue(ADD_REACTION, chat, sub, id, userUUID, reaction, at);
    }

    void removeReaction(String chat, int sub, long id, String userUUID, String reaction) {
        tx.update("DELETE FROM reaction_message WHERE chatUUID = ? AND subID = ? AND messageID = ? AND userUUID = ?"
                + " AND reaction = ?", chat, sub, id, userUUID, reaction);
    }

    /** Records a read watermark row; an existing row keeps its first readAt. */
    void markRead(String chat, int sub, long id, String userUUID, String readAt) {
        tx.update(MARK_READ, chat, sub, id, userUUID, readAt);
    }
}
