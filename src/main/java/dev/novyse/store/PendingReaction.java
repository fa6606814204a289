package dev.novyse.store;

/**
 * A reaction added ({@code adding}) or taken back while the server was unreachable, waiting to be sent; {@code id}
 * changes when a newer toggle of the same emoji on the same message replaces it.
 */
public record PendingReaction(long id, String chatUUID, int subID, long messageID, String emoji, boolean adding,
                              String createdAt, int attempts, String lastError) {
}
