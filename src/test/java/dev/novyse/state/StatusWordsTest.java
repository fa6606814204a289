package dev.novyse.state;

import dev.novyse.sync.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status bar's words for the channel's troubles: plain, without transport jargon. */
class StatusWordsTest {
    @Test
    void transportJargonBecomesPlainWords() {
        assertEquals("cannot reach the server, trying again", StatusWords.plain("live channel: xhr poll error"));
        assertEquals("cannot reach the server, trying again in 4 s",
                StatusWords.plain("sync failed, retrying in 4 s: java.net.ConnectException: Connection refused"));
        assertEquals("could not catch up with the server, trying again in 2 s",
                StatusWords.plain("sync failed, retrying in 2 s: HTTP 500 INTERNAL"));
        assertEquals("the server did not accept the connection, trying again",
                StatusWords.plain("live channel refused (AUTH_EXPIRED), retrying with a fresh token"));
    }

    @Test
    void onlyAnEndedSessionIsSignedOut() {
        assertTrue(StatusWords.signedOut(new ApiException(ApiException.Kind.HTTP, 401, "SESSION_INVALID", "gone")));
        assertFalse(StatusWords.signedOut(new ApiException(ApiException.Kind.HTTP, 500, "X", "boom")));
        assertFalse(StatusWords.signedOut(null));
    }
}
