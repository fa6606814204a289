package dev.novyse.protocol;

public record ReplyTo(String chatUUID, Integer subID, Long messageID, Integer rangeStart, Integer rangeEnd) {
}
