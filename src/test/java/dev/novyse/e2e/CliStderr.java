package dev.novyse.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Records every line the CLI writes on stderr in the tests under {@code target/cli-stderr/}, one file per test
 * method, for the build's check that error lines are written for a person ({@code src/test/sh/check-cli-stderr},
 * run by {@code mvn verify}). A run with {@code --verbose} asked for stack traces: it is not recorded.
 */
public final class CliStderr {
    static final Path DIR = Path.of("target", "cli-stderr");

    private CliStderr() {
    }

    /** Appends {@code stderr} of a run of {@code novyse args}, unless it was asked to be verbose. */
    public static synchronized void record(String[] args, String stderr) {
        if (stderr == null || stderr.isEmpty() || Arrays.asList(args).contains("--verbose")) return;
        try {
            Files.createDirectories(DIR);
            String lines = stderr.endsWith("\n") ? stderr : stderr + "\n";
            // One file per test method; the lines alone (a name in them could match the check's deny list).
            Files.writeString(DIR.resolve(caller() + ".txt"), lines, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test method that ran the CLI: the first frame of a test class. */
    private static String caller() {
        return StackWalker.getInstance().walk(s -> s.filter(f -> f.getClassName().endsWith("Test")
                || f.getClassName().endsWith("IT")).findFirst().map(f -> simple(f.getClassName()) + "."
                + f.getMethodName()).orElse("?"));
    }

    private static String simple(String className) {
        return className.substring(className.lastIndexOf('.') + 1).replace('$', '.');
    }
}
