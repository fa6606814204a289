package dev.novyse.protocol;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Reply of sign-up, sign-in and {@code POST /token} (not enveloped, like the public auth service).
 * {@code sessionID} is numeric, {@code session_id} is the long-lived secret sent back as {@code x-session-id}.
 * {@code expiresAt} (extension) is the access token's expiry, ISO-8601.
 */
public record AuthReply(String token, String userUUID, Long sessionID,
                        @JsonProperty("session_id") String sessionKey, String expiresAt) {
}
