package dev.novyse.store;

/** A file attached to a stored message, as the local store knows it (the bytes live in the download cache). */
public record StoredFile(String chatUUID, int subID, long messageID, String uuid, String name, Long size,
                         String mimeType) {
}
