package dev.novyse.protocol;

public record PinnedChat(String chatUUID, int position) {
}
