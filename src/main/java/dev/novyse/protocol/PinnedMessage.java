package dev.novyse.protocol;

public record PinnedMessage(int subID, long messageID, String pinnedAt, String pinnedBy) {
}
