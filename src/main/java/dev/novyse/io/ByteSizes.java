package dev.novyse.io;

import java.util.Locale;

/** A file's size for a person: bytes, then binary units with one decimal ({@code 293.0 KiB}), in every output. */
public final class ByteSizes {
    private ByteSizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
