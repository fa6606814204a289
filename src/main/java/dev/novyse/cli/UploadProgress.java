package dev.novyse.cli;

import dev.novyse.io.ByteSizes;
import dev.novyse.sync.OutboxSender;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Upload progress on one self-rewriting stderr line, shown only when stderr is a terminal: in a pipe or a log
 * file the carriage returns would be noise. At most ten redraws a second.
 */
final class UploadProgress implements OutboxSender.Progress {
    private final PrintStream err;
    private long lastDraw;
    private boolean drawn;

    private UploadProgress(PrintStream err) {
        this.err = err;
    }

    /** Progress for the current process: drawn on stderr if it is a terminal, otherwise nothing. */
    static OutboxSender.Progress forStderr() {
        return stderrIsTerminal() ? new UploadProgress(System.err) : OutboxSender.Progress.NONE;
    }

    /**
     * Whether fd 2 is a terminal. Java has no isatty; on Linux /proc tells where fd 2 points. Elsewhere the console
     * check (stdin and stdout are terminals) is the closest guess.
     */
    static boolean stderrIsTerminal() {
        Path fd2 = Path.of("/proc/self/fd/2");
        try {
            if (Files.exists(fd2, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                String target = Files.readSymbolicLink(fd2).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
            }
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException ignored) {
            // fall back below
        }
        return System.console() != null;
    }

    @Override
    public synchronized void update(String name, long sent, long total) {
        long now = System.nanoTime();
        if (drawn && sent < total && now - lastDraw < 100_000_000L) {
            return;
        }
        lastDraw = now;
        drawn = true;
        int percent = total == 0 ? 100 : (int) (sent * 100 / total);
        err.print("\r\033[K" + "uploading " + name + "  " + percent + "%  " + ByteSizes.human(sent) + " / " + ByteSizes.human(total));
        err.flush();
    }

    @Override
    public synchronized void done(String name) {
        if (drawn) {
            err.println();
            drawn = false;
        }
    }
}
