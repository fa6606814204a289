package dev.novyse.cli;

/** A failure to report as one line on stderr with a documented exit code. */
public final class CliException extends RuntimeException {
    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }

    public CliException(int exitCode, String message, Throwable cause) {
        super(message, cause, false, true);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
