package dev.novyse.demo;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * The demo server's clock. The API has no way to set a message's time (the server stamps every write with its
 * clock, as it must), so the seeder back-dates history by moving this clock along the planned timeline as it sends
 * the requests, and releases it to the system clock once the workspace is built.
 *
 * <p>While seeding, every reading is strictly later than the one before (at least {@link #advanceTo}'s instant, and
 * a millisecond after the previous reading): the server reads its clock under its write lock, so its timestamps
 * then increase in the same order as its ids even when several seeding requests are in flight.
 */
public final class DemoClock extends Clock {
    private Instant floor;
    private Instant last = Instant.MIN;

    /** Seeding mode: from now on readings are at least {@code at}. A clock never moves back. */
    public synchronized void advanceTo(Instant at) {
        if (floor == null || at.isAfter(floor)) {
            floor = at;
        }
    }

    /** Back to real time. */
    public synchronized void release() {
        floor = null;
    }

    public synchronized boolean isSeeding() {
        return floor != null;
    }

    @Override
    public synchronized Instant instant() {
        if (floor == null) {
            return Instant.now();
        }
        Instant next = last.plusMillis(1);
        last = floor.isAfter(next) ? floor : next;
        return last;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }
}
