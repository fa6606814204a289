package dev.novyse.protocol;

public record FavoriteMessage(String chatUUID, int subID, long messageID, String createdAt) {
}
