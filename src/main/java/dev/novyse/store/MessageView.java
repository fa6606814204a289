package dev.novyse.store;

import java.util.List;

/**
 * A message as the UI shows it. A deleted message has {@code deleted == true} and null content: the UI prints a
 * placeholder. {@code senderName} is null when the sender's profile is not stored. {@code favorite}: in the
 * account's favourites (its own list, on every device).
 */
public record MessageView(String chatUUID, int subID, long id, String senderUUID, String senderName, String content,
                          String createdAt, boolean edited, boolean deleted, List<ReactionCount> reactions,
                          ReplyRef replyTo, List<FileView> files, boolean pinned, boolean favorite) {

    /** Someone else wrote it, and it stands: what can be unread for {@code me} (the account's user uuid). */
    public boolean byAnotherThan(String me) {
        return !deleted && senderUUID != null && !senderUUID.equals(me);
    }

    /** One emoji under a message: how many reacted and whether the account is among them. */
    public record ReactionCount(String emoji, int count, boolean mine) {
    }

    /**
     * The message this one answers (the first reply reference when there are several); {@code quoted} is that
     * message as the store has it, null when it does not (an older stretch a paged sync has not brought).
     */
    public record ReplyRef(String chatUUID, int subID, long messageID, Quoted quoted) {
        public ReplyRef(String chatUUID, int subID, long messageID) {
            this(chatUUID, subID, messageID, null);
        }
    }

    /** What a reply shows of the message it answers. */
    public record Quoted(String senderName, String content, boolean deleted) {
    }

    public record FileView(String uuid, String name, Long size, String mimeType) {
    }
}
