package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.account.XdgDirs;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.tui.TuiApp;
import dev.novyse.tui.Warmup;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code novyse} with no subcommand: opens the chat screen for the chosen account. Refuses at once, with one line,
 * where there is no usable terminal (a pipe, CI, TERM=dumb), so scripts never get a half-drawn screen.
 */
final class TuiLauncher {
    private TuiLauncher() {
    }

    static int open(NovyseCommand root) throws IOException {
        return open(root, null);
    }

    /**
     * Plain {@code novyse}, with no argument at all: what the root command's {@code call} does, without building
     * picocli's model of every command first. That model took ~110 ms of a ~660 ms first frame on the 1M-message
     * store: picocli's classes are Java 5 bytecode, which an AppCDS archive cannot hold (docs/benchmarks.md). Two
     * other threads start at once: one unpacks the native library (awaited before the store opens), one loads the
     * drawing code and the locale's data ({@link Warmup}). Failures read exactly as through picocli.
     */
    static int openPlain() {
        DaemonThreads.start("novyse-warmup", Warmup::run);
        Thread natives = DaemonThreads.start("native-library", NativeLibraryCache::install);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        try {
            return open(new NovyseCommand(), null, natives);
        } catch (Exception e) {
            return Failures.report(e, err, false);
        }
    }

    /** {@code shown}: run once the first full frame is on the terminal (see {@link TuiApp.Context#shown}). */
    static int open(NovyseCommand root, Runnable shown) throws IOException {
        return open(root, shown, null);
    }

    /** {@code natives}: a thread unpacking the native library, awaited before the store opens (or null). */
    private static int open(NovyseCommand root, Runnable shown, Thread natives) throws IOException {
        String unusable = TuiApp.unusableTerminal();
        if (unusable != null) throw new CliException(ExitCodes.USAGE, unusable);
        String badConfig = TuiApp.configProblem(root.config().all());
        if (badConfig != null) throw new CliException(ExitCodes.USAGE, XdgDirs.configHome().resolve("config") + ": " + badConfig);
        awaitNatives(natives);
        try (Session session = root.openSession()) {
            TuiApp.Context ctx = new TuiApp.Context(session.client(), session.label(), root.config().all(),
                    SharedOptions.CacheDir.defaultDir(), null, null, shown);
            Path log = session.account().databaseFile().resolveSibling("tui.log");
            PrintStream err = System.err;
            // Anything a library prints while the screen is up would tear it: diagnostics go to a file instead.
            try (PrintStream toFile = logStream(log)) {
                System.setErr(toFile);
                return TuiApp.run(ctx);
            } finally {
                System.setErr(err);
            }
        }
    }

    private static void awaitNatives(Thread natives) {
        if (natives == null) return;
        try {
            natives.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static PrintStream logStream(Path log) throws IOException {
        if (!Files.exists(log)) {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
    }
}
