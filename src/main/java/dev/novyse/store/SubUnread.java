package dev.novyse.store;

/**
 * One sub of a chat (a forum's topic) as the chat list counts it: messages after the account's read watermark in
 * that sub, not its own and not deleted, and those naming its {@code @handle}; {@code newestId} is the sub's newest
 * stored message (0 when it has none), up to which marking the sub read reaches.
 */
public record SubUnread(int subID, int unreadCount, int mentionCount, long newestId) {
}
