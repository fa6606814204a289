package dev.novyse.cli;

import picocli.CommandLine;

/** Entry point of the one {@code novyse} command. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        NativeLibraryCache.install();
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code (tests call this in-process). */
    public static int run(String... args) {
        return NovyseCommand.commandLine().execute(args);
    }
}
