package dev.novyse.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A file the user attaches to an outgoing message. */
public record OutgoingFile(Path path, String name, String mimeType, long size) {
    public static final String UNKNOWN_TYPE = "application/octet-stream";

    /**
     * Describes the file at {@code path} as it is now: its name, its size, and a mime type guessed from the name
     * (the platform's guess, else {@value #UNKNOWN_TYPE}). The path is kept absolute: the outbox may be flushed by a
     * command run from another directory. A name with a control character (a line break, an escape) is refused.
     */
    public static OutgoingFile of(Path path) throws IOException {
        Path abs = path.toAbsolutePath().normalize();
        if (abs.getFileName().toString().codePoints().anyMatch(Character::isISOControl)) {
            // Refused here, before it is queued: the server refuses such a name, and the entry would stay failed.
            throw new IOException("its name has a control character, which the server refuses; rename the file");
        }
        String mime = null;
        try {
            mime = Files.probeContentType(abs);
        } catch (IOException | SecurityException ignored) {
            // no guess: the fallback below
        }
        return new OutgoingFile(abs, abs.getFileName().toString(), mime == null || mime.isBlank() ? UNKNOWN_TYPE : mime,
                Files.size(abs));
    }
}
