package dev.novyse.cli;

import dev.novyse.tui.TuiApp;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code novyse} with no subcommand: opens the chat screen for the chosen account. Refuses at once, with one line,
 * where there is no usable terminal (a pipe, CI, TERM=dumb), so scripts never get a half-drawn screen.
 */
final class TuiLauncher {
    private TuiLauncher() {
    }

    static int open(NovyseCommand root) throws IOException {
        String unusable = TuiApp.unusableTerminal();
        if (unusable != null) throw new CliException(ExitCodes.USAGE, unusable);
        String badConfig = TuiApp.configProblem(root.config().all());
        if (badConfig != null) throw new CliException(ExitCodes.USAGE, Paths.configHome().resolve("config") + ": " + badConfig);
        try (ClientSession session = ClientSession.open(root)) {
            Credentials c = session.credentials();
            String label = c.username() + "@" + URI.create(c.server()).getAuthority();
            TuiApp.Context ctx = new TuiApp.Context(session.db(), session.api(), session, URI.create(c.server()), label,
                    root.config().all(), FileCommand.CacheDir.defaultDir(), null, null);
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
