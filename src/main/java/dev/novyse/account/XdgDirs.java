package dev.novyse.account;

import java.nio.file.Path;

/** XDG base directories for novyse's data, configuration and cache. */
public final class XdgDirs {
    private XdgDirs() {}

    public static Path dataHome() {
        return xdg("XDG_DATA_HOME", ".local/share").resolve("novyse");
    }

    public static Path configHome() {
        return xdg("XDG_CONFIG_HOME", ".config").resolve("novyse");
    }

    public static Path cacheHome() {
        return xdg("XDG_CACHE_HOME", ".cache").resolve("novyse");
    }

    private static Path xdg(String variable, String fallback) {
        String v = System.getenv(variable);
        if (v != null && !v.isBlank() && Path.of(v).isAbsolute()) {
            return Path.of(v);
        }
        return Path.of(System.getProperty("user.home")).resolve(fallback);
    }
}
