package dev.novyse.export;

/**
 * One message as an exporter writes it. {@code reactionsJson} is a compact JSON array
 * {@code [{"reaction":"👍","userUUID":"..."}]} or null when there are none; {@code fileNamesJson} is a JSON
 * array of file names or null. The reply fields are null when the message answers nothing. {@code chatTitle} is
 * the chat as people call it (its name, or a DM's other member), for the transcript; {@code chatName} is the
 * contract's (null for a DM). {@code subName}: a forum sub's name, for the transcript (null for the main channel or a
 * sub the store has no name for).
 */
public record ExportRow(String chatUUID, String chatName, String chatTitle, int subID, String subName, long id, String senderUUID, String senderName,
                        String createdAt, String content, boolean edited, boolean deleted,
                        String replyToChatUUID, Integer replyToSubID, Long replyToMessageID,
                        String reactionsJson, String fileNamesJson) {
}
