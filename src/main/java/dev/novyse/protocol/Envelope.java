package dev.novyse.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The API envelope {@code {success, data, error}}. {@code message} is a human sentence added by this
 * project's server next to the machine-readable {@code error} code.
 */
public record Envelope(boolean success, JsonNode data, String error, String message) {
    public static Envelope ok(JsonNode data) {
        return new Envelope(true, data, null, null);
    }

    public static Envelope failure(String error, String message) {
        return new Envelope(false, null, error, message);
    }
}
