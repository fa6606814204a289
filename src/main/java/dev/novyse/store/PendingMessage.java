package dev.novyse.store;

import dev.novyse.protocol.ReplyTo;

import java.nio.file.Path;
import java.util.List;

/**
 * An outbox entry. {@code state}: {@link OutboxState#PENDING} (to send), {@link OutboxState#FAILED} (gave up; the user
 * may retry) or {@link OutboxState#SENT} (the server accepted it as {@code serverMessageId} but storing it would have
 * skipped ahead of the sub's cursor, so the next sync delivers it and removes this row). A file is
 * {@link OutboxState#PENDING} until the server holds it all, then {@link OutboxState#UPLOADED}.
 */
public record PendingMessage(long id, String tempId, String chatUUID, int subID, String content, ReplyTo replyTo,
                             String createdAt, int attempts, String lastError, OutboxState state, Long serverMessageId,
                             List<PendingFile> files) {
    public record PendingFile(long id, Path path, String name, String mimeType, long size, long uploaded,
                              OutboxState state) {
    }
}
