package dev.novyse.store;

import dev.novyse.protocol.ReplyTo;

import java.nio.file.Path;
import java.util.List;

/**
 * An outbox entry. {@code state}: PENDING (to send), FAILED (gave up; the user may retry) or SENT (the server
 * accepted it as {@code serverMessageId} but storing it would have skipped ahead of the sub's cursor, so the next
 * sync delivers it and removes this row).
 */
public record PendingMessage(long id, String tempId, String chatUUID, int subID, String content, ReplyTo replyTo,
                             String createdAt, int attempts, String lastError, String state, Long serverMessageId,
                             List<PendingFile> files) {
    public record PendingFile(long id, Path path, String name, String mimeType, long size, long uploaded,
                              String state) {
    }
}
