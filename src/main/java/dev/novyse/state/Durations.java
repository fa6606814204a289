package dev.novyse.state;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A length of time as people type it in options and slash commands: a number and m, h, d or w ({@code 90d}, {@code 8h}). */
public final class Durations {
    /** How a duration is written, for error messages. */
    public static final String FORM = "a number and m, h, d or w (e.g. 8h)";
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhdw])");

    private Durations() {
    }

    /** {@code text} as a duration, or empty when it is not one. */
    public static Optional<Duration> parse(String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) return Optional.empty();
        long n = Long.parseLong(m.group(1));
        return Optional.of(switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        });
    }
}
