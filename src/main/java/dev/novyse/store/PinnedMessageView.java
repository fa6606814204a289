package dev.novyse.store;

/**
 * A pinned message of a chat. {@code stored} is false when the pin names a message not yet synced
 * (content and sender are then null).
 */
public record PinnedMessageView(int subID, long messageID, String pinnedAt, String pinnedBy, String senderUUID,
                                String senderName, String content, boolean deleted, boolean stored) {
}
