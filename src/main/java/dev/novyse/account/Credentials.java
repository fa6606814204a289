package dev.novyse.account;

/**
 * What a signed-in account keeps on disk (0600): the server, who it is, the long-lived session secret and the
 * current short-lived access token.
 */
public record Credentials(String server, String username, String userUUID, long sessionID, String sessionSecret,
                          String token, String tokenExpiresAt) {
    public Credentials withToken(String newToken, String expiresAt) {
        return new Credentials(server, username, userUUID, sessionID, sessionSecret, newToken, expiresAt);
    }
}
