package dev.novyse.cli;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated completion script works in a real bash, and every man page renders without warnings. */
class ShellIntegrationTest {
    record Result(int code, String out, String err) {
    }

    static Result sh(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    static String complete(String words, int cword) throws Exception {
        String script = "source completions/novyse.bash; COMP_WORDS=(" + words + "); COMP_CWORD=" + cword
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; _complete_novyse; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Result r = sh("bash", "-c", script);
        assertEquals(0, r.code(), r.err());
        return r.out();
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        List<String> subcommands = complete("novyse s", 1).lines().sorted().toList();
        assertEquals(List.of("send", "serve", "signup", "sync"), subcommands);
        String exportOptions = complete("novyse export --f", 2);
        assertTrue(exportOptions.lines().anyMatch("--format"::equals), exportOptions);
        String formats = complete("novyse export --format ''", 3);
        assertEquals(List.of("csv", "jsonl", "text"), formats.lines().filter(l -> !l.isBlank()).sorted().toList());
    }

    @Test
    void zshScriptLoadsTheBashCompletion() throws IOException {
        String zsh = Files.readString(Path.of("completions/_novyse"));
        assertTrue(zsh.startsWith("#compdef novyse"), "zsh finds the function by its #compdef line");
        assertTrue(zsh.contains("bashcompinit") && zsh.contains("novyse.bash"));
    }

    @Test
    void everyManPageRendersWithoutWarnings() throws Exception {
        List<Path> pages;
        try (Stream<Path> files = Files.list(Path.of("man"))) {
            pages = files.filter(p -> p.toString().endsWith(".1")).sorted().toList();
        }
        assertTrue(pages.size() >= 9, "one page per command: " + pages);
        for (Path page : pages) {
            Result r = sh("env", "MANWIDTH=80", "man", "--warnings", "-l", page.toString());
            assertEquals(0, r.code(), page + ": " + r.err());
            assertEquals("", r.err().strip(), page + " renders with warnings");
            assertTrue(r.out().contains("NAME"), page + " has a NAME section");
        }
        Result main = sh("env", "MANWIDTH=80", "man", "-l", "man/novyse.1");
        assertTrue(main.out().toLowerCase(java.util.Locale.ROOT).contains("exit codes") && main.out().contains("NOVYSE_SERVER"), "exit codes and environment are documented");
    }
}
