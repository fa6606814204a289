package dev.novyse.store;

import java.nio.file.Path;

/** A file the user attaches to an outgoing message. */
public record OutgoingFile(Path path, String name, String mimeType, long size) {
}
