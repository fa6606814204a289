package dev.novyse.cli;

/**
 * The documented exit codes of every command (README and man pages list them). Scripts rely on these numbers:
 * never renumber one.
 */
public final class ExitCodes {
    public static final int OK = 0;
    /** An unexpected internal failure (a bug). */
    public static final int INTERNAL = 1;
    /** Bad usage: unknown option, missing argument, a chat that does not exist. */
    public static final int USAGE = 2;
    /** Not signed in, wrong password, session expired or revoked. */
    public static final int AUTH = 3;
    /** The server could not be reached. */
    public static final int NETWORK = 4;
    /** The server refused the request or answered something unreadable. */
    public static final int SERVER = 5;
    /** The local store is unusable: locked, full, damaged, read-only or from a newer version. */
    public static final int DATA = 6;
    /** {@code send}: stored in the outbox, not yet delivered (the network is down). */
    public static final int QUEUED = 7;

    private ExitCodes() {}
}
