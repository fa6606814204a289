package dev.novyse.cli;

import dev.novyse.account.XdgDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code $XDG_CONFIG_HOME/novyse/config}: {@code key = value} lines, {@code #} comments. Keys: {@link #KEYS} and
 * {@code keys.<action>}. It is the weakest source: environment variables override it, and command-line flags
 * override both. A key it does not know is reported ({@link #unknown}), not silently ignored: a typo such as
 * {@code thme = mono} would otherwise look like a setting that does not work.
 */
final class Config {
    /** Every key the file may set, besides {@code keys.<action>} (whose actions the chat screen checks). */
    static final Set<String> KEYS = Set.of("server", "account", "data-dir", "theme", "bell", "notify", "mouse", "open",
            "download-dir", "hyperlinks", "ascii");

    private final Path file;
    private final Map<String, String> values;

    private Config(Path file, Map<String, String> values) {
        this.file = file;
        this.values = values;
    }

    static Config load() {
        return load(XdgDirs.configHome().resolve("config"));
    }

    static Config load(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return new Config(file, values);
        }
        try {
            int lineNo = 0;
            for (String line : Files.readAllLines(file)) {
                lineNo++;
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                int eq = t.indexOf('=');
                if (eq <= 0) {
                    throw new CliException(ExitCodes.USAGE, file + ":" + lineNo + ": expected 'key = value'");
                }
                values.put(t.substring(0, eq).strip(), t.substring(eq + 1).strip());
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage());
        }
        return new Config(file, values);
    }

    /**
     * One line per key this file sets that novyse does not know, with the known key it most likely means; empty
     * when every key is known.
     */
    List<String> unknown() {
        List<String> lines = new ArrayList<>();
        for (String key : values.keySet()) {
            if (KEYS.contains(key) || key.startsWith("keys.")) continue;
            String near = KEYS.stream().filter(k -> distance(k, key) <= 2).findFirst().orElse(null);
            lines.add(file + ": unknown setting '" + key + "', ignored" + (near == null ? "" : " (did you mean '" + near + "'?)"));
        }
        return lines;
    }

    /** Levenshtein distance: how many one-letter edits turn {@code a} into {@code b}. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int swap = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + swap);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** Every entry, for the TUI's theme, keys, bell and notify settings. */
    Map<String, String> all() {
        return Map.copyOf(values);
    }

    String get(String key) {
        String v = values.get(key);
        return v == null || v.isEmpty() ? null : v;
    }

    /** Flag, then environment variable, then this file. */
    String pick(String flag, String envVariable, String key) {
        if (flag != null) {
            return flag;
        }
        String env = System.getenv(envVariable);
        if (env != null && !env.isBlank()) {
            return env;
        }
        return get(key);
    }
}
