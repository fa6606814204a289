package dev.novyse.store;

import org.sqlite.SQLiteException;

/**
 * A failure of the local database, carrying a one-line message fit for a terminal user
 * (the cause is kept for debugging, never printed by the CLI). {@link #unusable()} tells a store that cannot be used
 * as it is (damaged, from a newer version, not writable): its way out is a fresh store (README, "A store that cannot
 * be opened").
 */
public class StoreException extends RuntimeException {
    private final boolean unusable;

    public StoreException(String message) {
        this(message, null, false);
    }

    public StoreException(String message, Throwable cause) {
        this(message, cause, unusable(cause));
    }

    StoreException(String message, Throwable cause, boolean unusable) {
        super(message, cause);
        this.unusable = unusable;
    }

    /** The store cannot be used as it is: damaged, written by a newer version, or not writable. */
    public boolean unusable() {
        return unusable;
    }

    /**
     * One line for a person: an SQLite failure in words (SQLite's own messages name result codes, carry newlines
     * and sometimes the SQL text), anything else its message's first line.
     */
    public static String oneLine(Throwable t) {
        String words = sqliteWords(t);
        if (words != null) return words;
        return t.getMessage() == null ? t.getClass().getSimpleName() : firstLine(t.getMessage());
    }

    private static String firstLine(String m) {
        if (m == null) return "";
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }

    private static String sqliteWords(Throwable t) {
        if (!(t instanceof SQLiteException e)) return null;
        return switch (e.getResultCode().code & 0xff) {
            case 3 -> "permission denied";
            case 5, 6 -> "the store is locked by another process";
            case 7 -> "out of memory";
            case 8 -> "the file cannot be written (read-only)";
            case 9 -> "interrupted";
            case 10 -> e.getResultCode().name().endsWith("SHMSIZE")
                    ? "a disk write failed (no room for SQLite's shared-memory file: is the disk full?)"
                    : "a disk read or write failed";
            case 11 -> "the file is damaged";
            case 13 -> "the disk is full";
            case 14 -> "the file cannot be opened";
            case 19 -> "a constraint of the store was violated";
            case 26 -> "not a database file";
            default -> firstLine(e.getMessage()).replaceFirst("^\\[SQLITE_[A-Z_]+\\]\\s*", "");
        };
    }

    /** The SQLite failure behind {@code t}, if any. */
    static SQLiteException sqlite(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof SQLiteException se) return se;
            if (c.getCause() == c) break;
        }
        return null;
    }

    /** A damaged, foreign or unwritable file: no retry helps, a fresh store does. */
    static boolean unusable(Throwable cause) {
        SQLiteException e = sqlite(cause);
        if (e == null) return cause instanceof StoreException se && se.unusable();
        int primary = e.getResultCode().code & 0xff;
        return primary == 11 || primary == 26 || primary == 8;
    }
}
