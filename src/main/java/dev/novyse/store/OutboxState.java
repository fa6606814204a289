package dev.novyse.store;

/**
 * The state of an outbox row, stored as its name in {@code pending_message.state} and {@code pending_file.state}
 * (the text must never change: stores on disk hold it).
 */
public enum OutboxState {
    /** A message or file still to send. */
    PENDING,
    /** A file the server holds completely (its message is confirmed once every file is). */
    UPLOADED,
    /** A message given up on (refused, or an attached file changed) until the user retries it. */
    FAILED,
    /**
     * A message the server accepted but that could not be stored yet without skipping ahead of its sub's cursor; the
     * next sync brings it and removes the row.
     */
    SENT
}
