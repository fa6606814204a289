package dev.novyse.protocol;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The protocol's times, as the server sends them and every output of the CLI writes them: ISO-8601 UTC with exactly
 * three fraction digits ({@code 2026-12-06T05:00:01.347Z}). Fixed width, so text comparison orders them: a bare
 * {@code Instant.toString()} drops a zero fraction ("...:05Z" sorts after "...:05.500Z") and writes nanoseconds when
 * the clock has them.
 */
public final class Timestamps {
    private Timestamps() {
    }

    /** {@code t} to the millisecond, in the protocol's form (no formatter: a one-shot command loads no locale data). */
    public static String of(Instant t) {
        String s = t.truncatedTo(ChronoUnit.MILLIS).toString();
        return s.indexOf('.') < 0 ? s.substring(0, s.length() - 1) + ".000Z" : s;
    }

    /** Now, in the protocol's form. */
    public static String now() {
        return of(Instant.now());
    }
}
