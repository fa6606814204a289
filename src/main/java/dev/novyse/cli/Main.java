package dev.novyse.cli;

import picocli.CommandLine;

/** Entry point of the one {@code novyse} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        NativeLibraryCache.install();
        int rc = run(args);
        if (rc == 0 && onlyDaemonsLeft()) {
            // A normal end of main: System.exit would wait up to 300 ms for any thread parked in native code (the
            // HTTP client's selector), on every command that went to the server. Shutdown hooks run either way.
            return;
        }
        System.exit(rc);
    }

    /** True when no thread but this one would keep the JVM alive after main returns. */
    private static boolean onlyDaemonsLeft() {
        Thread self = Thread.currentThread();
        return Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t != self && t.isAlive() && !t.isDaemon());
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        return NovyseCommand.commandLine().execute(args);
    }
}
