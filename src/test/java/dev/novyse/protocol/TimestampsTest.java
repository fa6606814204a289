package dev.novyse.protocol;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TimestampsTest {
    @Test
    void alwaysThreeFractionDigitsSoThatTextOrdersThem() {
        assertEquals("2026-12-06T05:00:01.347Z", Timestamps.of(Instant.parse("2026-12-06T05:00:01.347782895Z")));
        assertEquals("2026-12-06T05:00:05.000Z", Timestamps.of(Instant.parse("2026-12-06T05:00:05Z")));
        assertEquals("2026-12-06T05:00:05.500Z", Timestamps.of(Instant.parse("2026-12-06T05:00:05.5Z")));
        assertEquals("1970-01-01T00:00:00.000Z", Timestamps.of(Instant.EPOCH));
        // The reason for the fixed width: a zero fraction written bare sorted after a later time of the same second.
        assertTrue(Timestamps.of(Instant.parse("2026-12-06T05:00:05Z"))
                .compareTo(Timestamps.of(Instant.parse("2026-12-06T05:00:05.500Z"))) < 0);
        assertTrue(Timestamps.now().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), Timestamps.now());
    }
}
