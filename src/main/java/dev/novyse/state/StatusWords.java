package dev.novyse.state;

import dev.novyse.sync.ApiException;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the status bar says about the connection, in the words of the person reading it: the live channel and the
 * sync report their troubles with transport detail ("xhr poll error", HTTP codes) meant for the log, not the screen.
 */
final class StatusWords {
    private static final Pattern RETRY_IN = Pattern.compile("retrying in (\\d+) s");

    private StatusWords() {
    }

    /** True when the server ended the account's session (revoked, logged out elsewhere, unknown): sign in again. */
    static boolean signedOut(RuntimeException failure) {
        return failure instanceof ApiException e && e.kind() == ApiException.Kind.HTTP && e.status() == 401;
    }

    /** A problem the channel reports (and retries), as one plain line. */
    static String plain(String problem) {
        if (problem == null) return null;
        String p = problem.toLowerCase(java.util.Locale.ROOT);
        Matcher retry = RETRY_IN.matcher(p);
        String again = retry.find() ? ", trying again in " + retry.group(1) + " s" : ", trying again";
        if (p.contains("poll error") || p.contains("websocket error") || p.contains("connect") || p.contains("timed out")
                || p.contains("timeout") || p.contains("transport") || p.contains("unreachable") || p.contains("reset")) {
            return "cannot reach the server" + again;
        }
        if (p.startsWith("sync failed")) return "could not catch up with the server" + again;
        if (p.contains("refused") || p.contains("token")) return "the server did not accept the connection" + again;
        if (p.startsWith("live event not applied")) return "catching up with the server";
        return problem.lines().findFirst().orElse(problem);
    }
}
