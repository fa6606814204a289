package dev.novyse.store;

/**
 * One line of the chat list. {@code title} is the name to show: the chat's name, or for an unnamed chat (a DM)
 * the other member's display name. {@code pinnedPosition} is null for an unpinned chat. The last-message fields
 * are null for an empty chat; {@code lastMessagePreview} is null for a deleted last message
 * ({@code lastMessageDeleted}). {@code unreadCount}: messages after the account's own read watermark, per sub,
 * not sent by the account and not deleted; {@code mentionCount}: those of them naming the account's {@code @handle}.
 */
public record ChatSummary(String uuid, String type, String name, String title, String handle, Integer pinnedPosition,
                          String lastMessagePreview, String lastMessageAt, String lastSenderName,
                          boolean lastMessageDeleted, int unreadCount, long eventID, int mentionCount) {
    /** This chat with other unread and mention counts. */
    public ChatSummary withCounts(int unread, int mentions) {
        return new ChatSummary(uuid, type, name, title, handle, pinnedPosition, lastMessagePreview, lastMessageAt,
                lastSenderName, lastMessageDeleted, unread, eventID, mentions);
    }
}
