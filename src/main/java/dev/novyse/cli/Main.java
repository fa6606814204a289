package dev.novyse.cli;

import picocli.CommandLine;

/** Entry point of the one {@code novyse} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        followTmpdir();
        int rc;
        if (args.length == 0) {
            rc = TuiLauncher.openPlain();
        } else {
            NativeLibraryCache.install();
            Class<?> named = NovyseCommand.namedSubcommand(args);
            if (named != null) {
                // Nearly every command opens a store: the driver loads on another thread while picocli parses the line.
                dev.novyse.store.DriverWarmup.startAside();
            }
            rc = NovyseCommand.commandLine(named, args).execute(args);
        }
        stopHttpSelectors();
        System.exit(rc);
    }

    /**
     * Temporary files (the demo's folders, a draft handed to the editor, the native library) go where {@code $TMPDIR}
     * says, as other programs' do; Java reads only its own property, which is left alone when it was set to another
     * folder than the default. Runs before anything asks for it (Java reads it once).
     */
    private static void followTmpdir() {
        String tmpdir = System.getenv("TMPDIR");
        if (tmpdir == null || tmpdir.isBlank() || !"/tmp".equals(System.getProperty("java.io.tmpdir"))) return;
        if (java.nio.file.Files.isDirectory(java.nio.file.Path.of(tmpdir))) System.setProperty("java.io.tmpdir", tmpdir);
    }

    /**
     * Ends the HTTP client's selector threads. java.net.http cannot be closed on Java 17, its selector parks in
     * native code, and the JVM's exit waits up to 300 ms for threads in native code: `novyse sync` took 0.90-1.18 s
     * instead of 0.64-0.76 s (docs/benchmarks.md). The command is done with the network by now; an interrupted
     * selector shuts its client down and ends.
     */
    private static void stopHttpSelectors() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            String name = t.getName();
            if (name.startsWith("HttpClient-") && name.endsWith("-SelectorManager")) {
                t.interrupt();
                try {
                    t.join(200);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        return NovyseCommand.commandLine(args).execute(args);
    }
}
