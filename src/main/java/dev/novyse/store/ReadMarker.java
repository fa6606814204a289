package dev.novyse.store;

/** How far one member has read in a (chat, sub): every message with {@code id <= messageID}. */
public record ReadMarker(String userUUID, String name, long messageID) {
}
