package dev.novyse.sync;

/**
 * Where {@link ApiClient} gets its bearer token. On a 401 {@code AUTH_TOKEN_EXPIRED} the client calls
 * {@link #refresh()} once and retries the request with the new token.
 */
public interface TokenProvider {
    /** The current access token, or null to send no Authorization header. */
    String current();

    /** Obtains a fresh token (typically {@code POST /token} with the session id) and returns it. */
    String refresh();

    /**
     * Whether the account has signed in again since the session was read (a new session of its user, in another
     * terminal: after a logout, or after the server ended this one), so that {@link #current()} now gives the new
     * session's tokens. Asked every couple of seconds by a chat screen; false when nothing can change it.
     */
    default boolean signedInAgain() {
        return false;
    }

    /**
     * Whether the account was signed out on this machine since the session was read (its credentials removed by
     * {@code novyse logout} in another terminal, maybe while the server was unreachable): the provider then forgets
     * the session, so that nothing goes on with it; true once.
     */
    default boolean signedOutHere() {
        return false;
    }

    /** A token that cannot be refreshed: a 401 simply surfaces to the caller. */
    static TokenProvider fixed(String token) {
        return new TokenProvider() {
            @Override
            public String current() {
                return token;
            }

            @Override
            public String refresh() {
                throw new ApiException(ApiException.Kind.HTTP, 401, "AUTH_TOKEN_EXPIRED",
                        "the access token expired and cannot be refreshed; sign in again");
            }
        };
    }

    TokenProvider NONE = fixed(null);
}
