package dev.novyse.server;

import dev.novyse.protocol.Timestamps;

import java.time.Clock;

/**
 * Server timestamps from its clock, in the protocol's form ({@link Timestamps}): a bare {@code Instant.toString()}
 * once broke every text comparison of timestamps (server ORDER BYs, the client's chat order and export --since).
 */
final class Times {
    private Times() {}

    static String iso(Clock clock) {
        return Timestamps.of(clock.instant());
    }
}
