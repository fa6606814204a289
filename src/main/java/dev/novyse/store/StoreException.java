package dev.novyse.store;

/**
 * A failure of the local database, carrying a one-line message fit for a terminal user
 * (the cause is kept for debugging, never printed by the CLI).
 */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** One line: SQLite's own messages sometimes carry newlines and the SQL text. */
    public static String oneLine(Throwable t) {
        String m = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
