package dev.novyse.cli;

import dev.novyse.account.Session;
import dev.novyse.account.XdgDirs;
import dev.novyse.tui.TuiApp;

import java.io.FileOutputStream;
import java.io.IOException;
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

    /** {@code shown}: run once the first full frame is on the terminal (see {@link TuiApp.Context#shown}). */
    static int open(NovyseCommand root, Runnable shown) throws IOException {
        String unusable = TuiApp.unusableTerminal();
        if (unusable != null) throw new CliException(ExitCodes.USAGE, unusable);
        String badConfig = TuiApp.configProblem(root.config().all());
        if (badConfig != null) throw new CliException(ExitCodes.USAGE, XdgDirs.configHome().resolve("config") + ": " + badConfig);
        try (Session session = root.openSession()) {
            TuiApp.Context ctx = new TuiApp.Context(session.client(), session.label(), root.config().all(),
                    SharedOptions.CacheDir.defaultDir(), null, null, shown);
            Path log = session.account().databaseFile().resolveSibling("tui.log");
            PrintStream err = System.err;
            // Anything a library prints while the screen is up would tear it: diagnostics go to a file instead.
            try (PrintStream toFile = logStream(log)) {
                System.setErr(toFile);
                java.util.logging.LogManager.getLogManager().reset();
                return TuiApp.run(ctx);
            } finally {
                System.setErr(err);
            }
        }
    }

    private static PrintStream logStream(Path log) throws IOException {
        if (!Files.exists(log)) {
            Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        return new PrintStream(new FileOutputStream(log.toFile(), true), true, StandardCharsets.UTF_8);
    }
}
