package dev.novyse.server;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Server timestamps: ISO-8601 UTC with millisecond precision, as the public API sends them. Always three fraction
 * digits: {@code Instant.toString()} drops a zero fraction ("...:05Z"), and such strings sort after "...:05.500Z",
 * which broke every text comparison of timestamps (server ORDER BYs, the client's chat order and export --since).
 */
final class Times {
    private Times() {}

    static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    static String iso(Clock clock) {
        return FORMAT.format(clock.instant());
    }
}
