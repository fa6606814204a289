package dev.novyse.sync;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** "Refused for good" is a 4xx other than 401, 408 and 429 (and the two passing upload codes); said in plain words. */
class OutboxRefusalTest {
    static ApiException http(int status, String code, String message) {
        return new ApiException(ApiException.Kind.HTTP, status, code, message);
    }

    @Test
    void onlyA4xxOtherThan401_408_429IsForGood() {
        for (int status : new int[]{400, 403, 404, 409, 413, 422}) {
            assertTrue(OutboxSender.refusedForGood(http(status, "X", "m")), "HTTP " + status);
        }
        for (int status : new int[]{401, 408, 429, 500, 502, 503}) {
            assertFalse(OutboxSender.refusedForGood(http(status, "X", "m")), "HTTP " + status);
        }
        assertFalse(OutboxSender.refusedForGood(http(410, "URL_EXPIRED", "m")));
        assertFalse(OutboxSender.refusedForGood(http(409, "UPLOAD_INCOMPLETE", "m")));
        assertFalse(OutboxSender.refusedForGood(new ApiException(ApiException.Kind.NETWORK, 0, null, "cut")));
        assertFalse(OutboxSender.refusedForGood(new ApiException(ApiException.Kind.BAD_REPLY, 0, null, "junk")));
    }

    @Test
    void theReasonIsInPlainWords() {
        assertEquals("the server refused it: message too long (413)", OutboxSender.refusal(http(413,
                "PAYLOAD_TOO_LARGE", "POST /message failed: request body is larger than 1048576 bytes (PAYLOAD_TOO_LARGE) [HTTP 413]")));
        assertEquals("the server refused it: field 'content' is empty (400)", OutboxSender.refusal(http(400,
                "BAD_REQUEST", "POST /message failed: field 'content' is empty (BAD_REQUEST) [HTTP 400]")));
    }
}
