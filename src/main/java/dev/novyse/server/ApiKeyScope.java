package dev.novyse.server;

import java.util.Set;

/**
 * What an API key may call (docs/protocol.md#api-keys): a {@code read} key every read (any GET, the sync's
 * {@code POST /user/update}, {@code POST /user/presence}); a {@code read,send} key also what a person does to messages (post, with files, edit,
 * delete, react, mark read). Everything else — membership, moderation, profile, settings, pins, favourites, sign-out
 * and the keys themselves — needs a signed-in session, so a leaked key can never change who is in a chat, what the
 * account is, or mint more keys. An endpoint not listed here is closed to keys until someone lists it.
 */
final class ApiKeyScope {
    private ApiKeyScope() {}

    /** Reads that are not GETs. */
    private static final Set<String> READS = Set.of("POST /user/update", "POST /user/presence");

    private static final Set<String> SENDS = Set.of("POST /message", "POST /message/confirm", "DELETE /file",
            "PATCH /message", "DELETE /message", "PUT /message/reaction", "DELETE /message/reaction", "POST /message/read");

    /** A 403 unless {@code key} may call {@code method path}. */
    static void check(ApiKeyService.Key key, String method, String path) {
        if (path.equals("/apikey") || path.startsWith("/apikey/")) {
            throw ApiError.forbidden("API keys are managed from a signed-in session, not with a key");
        }
        String call = method + " " + path;
        if (method.equals("GET") || READS.contains(call)) {
            return;
        }
        if (SENDS.contains(call)) {
            if (!key.maySend()) {
                throw ApiError.forbidden("this API key may only read (its permissions are \"read\")");
            }
            return;
        }
        throw ApiError.forbidden("an API key cannot do this; sign in with a password");
    }
}
