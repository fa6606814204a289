package dev.novyse.server;

import java.time.Clock;
import java.time.temporal.ChronoUnit;

/** Server timestamps: ISO-8601 UTC with millisecond precision, as the public API sends them. */
final class Times {
    private Times() {}

    static String iso(Clock clock) {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS).toString();
    }
}
