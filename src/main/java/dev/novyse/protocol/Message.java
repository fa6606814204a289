package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/**
 * A message with its current state. {@code id} is dense per (chatUUID, subID).
 * Extensions of this project: {@code deleted} (a tombstone: content and files are gone, the id stays so
 * cursors stay dense) and {@code tempId} (the client's idempotency key, echoed back to its author).
 */
public record Message(@JsonAlias("messageID") long id, String chatUUID, int subID,
                      @JsonAlias("senderUUID") String userUUID, String content, String type,
                      @JsonProperty("system_action") String systemAction,
                      @JsonProperty("created_at") @JsonAlias("createdAt") String createdAt,
                      Boolean edited, Boolean pinned, String pinnedAt, String pinnedBy,
                      List<ReplyTo> replyTos, List<FileRef> files, List<Read> reads, List<Reaction> reactions,
                      Boolean deleted, String tempId) {
    public boolean isDeleted() {
        return Boolean.TRUE.equals(deleted);
    }

    public boolean isEdited() {
        return Boolean.TRUE.equals(edited);
    }
}
