package dev.novyse.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A length of time as options take it: a number and m, h, d or w ({@code 90d}, {@code 8h}). */
final class Durations {
    private static final Pattern DURATION = Pattern.compile("([1-9][0-9]{0,5})([mhdw])");

    private Durations() {
    }

    /** {@code text} as a duration; anything else is a usage error naming {@code option}. */
    static Duration parse(String text, String option) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) {
            throw new CliException(ExitCodes.USAGE, option + " must be a number and m, h, d or w (e.g. 8h), not '"
                    + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofDays(7 * n);
        };
    }
}
