package dev.novyse.cli;

import dev.novyse.account.XdgDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code $XDG_CONFIG_HOME/novyse/config}: {@code key = value} lines, {@code #} comments. Keys: {@code server},
 * {@code account}, {@code data-dir}, {@code theme}, {@code keys.*}. It is the weakest source: environment variables
 * override it, and command-line flags override both.
 */
final class Config {
    private final Map<String, String> values;

    private Config(Map<String, String> values) {
        this.values = values;
    }

    static Config load() {
        return load(XdgDirs.configHome().resolve("config"));
    }

    static Config load(Path file) {
        Map<String, String> values = new LinkedHashMap<>();
        if (!Files.isRegularFile(file)) {
            return new Config(values);
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
        return new Config(values);
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
