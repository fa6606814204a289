package dev.novyse.tui;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** When a mute ends, as {@code /mute 8h} says it: the person's clock, the day named only when it is not today, the year only when it is not this one. */
class MuteClockTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void laterTodayIsATimeAndAnotherDayNamesTheDay() {
        Instant now = Instant.parse("2026-12-08T09:00:00Z"); // 10:00 in Berlin
        assertEquals("18:30", ChatAdminCommands.clock(Instant.parse("2026-12-08T17:30:00Z"), BERLIN, now));
        // 23:30 UTC is past midnight in Berlin: another day there, though the same day in UTC.
        assertEquals("Wed 9 Dec 00:30", ChatAdminCommands.clock(Instant.parse("2026-12-08T23:30:00Z"), BERLIN, now));
        assertEquals("Tue 8 Dec 23:30", ChatAdminCommands.clock(Instant.parse("2026-12-08T23:30:00Z"), ZoneId.of("UTC"),
                Instant.parse("2026-12-07T12:00:00Z")));
        assertEquals("Fri 1 Jan 2027 09:00", ChatAdminCommands.clock(Instant.parse("2027-01-01T08:00:00Z"), BERLIN, now),
                "another year names it");
    }
}
