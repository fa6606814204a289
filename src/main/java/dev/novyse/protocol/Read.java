package dev.novyse.protocol;

/** A read watermark: {@code userUUID} has read everything up to and including the message carrying it. */
public record Read(String userUUID, String readAt) {
}
