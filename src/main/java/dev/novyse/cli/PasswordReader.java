package dev.novyse.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/** Passwords come from a prompt on a terminal or the first line of stdin; never from an argument. */
final class PasswordReader {
    private PasswordReader() {}

    static String read(String prompt) {
        Console console = System.console();
        if (console != null && System.getenv("NOVYSE_PASSWORD_STDIN") == null) {
            char[] pw = console.readPassword("%s", prompt);
            if (pw == null) {
                throw new CliException(ExitCodes.USAGE, "no password given");
            }
            return new String(pw);
        }
        try {
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (line == null || line.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "no password on standard input");
            }
            return line;
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read the password from standard input");
        }
    }
}
