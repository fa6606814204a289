package dev.novyse.protocol;

/** The reply to {@code GET /file}: where to fetch a file (a signed, expiring URL) and what it is. */
public record FileDownload(String uuid, String downloadURL, String expiresAt, String name, Long size,
                           String mimeType, Double duration) {
}
