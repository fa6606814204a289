package dev.novyse.tui;

import dev.novyse.io.PrivateFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The draft written in the person's own editor (C-x C-e, {@code /edit}): {@code $VISUAL}, else {@code $EDITOR},
 * else {@code vi}, run on a 0600 temporary file that holds the draft, with the terminal lent to it. What the editor
 * saved comes back as the draft and waits for Enter; an editor that fails, or cannot be started, leaves the draft as
 * it was. The file is deleted afterwards.
 */
final class ExternalEditor {
    /** Runs a program with the terminal lent to it ({@link Utf8UnixTerminal#runProgram}); returns its exit code. */
    @FunctionalInterface
    interface Tty {
        int run(ProcessBuilder program) throws IOException, InterruptedException;
    }

    private final UiModel m;
    /** Null when the screen has no real terminal to lend (a virtual one). */
    private final Tty tty;
    private final Map<String, String> env;

    ExternalEditor(UiModel m, Tty tty, Map<String, String> env) {
        this.m = m;
        this.tty = tty;
        this.env = env;
    }

    /**
     * The editor's command: the variable's words (e.g. {@code code --wait}), split on spaces and never given to a
     * shell, so no quoting, globbing or expansion happens; the file's path is added as the last argument.
     */
    static List<String> command(Map<String, String> env) {
        for (String variable : List.of("VISUAL", "EDITOR")) {
            String value = env.get(variable);
            if (value != null && !value.isBlank()) return List.of(value.strip().split("\\s+"));
        }
        return List.of("vi");
    }

    /** Hands the composer's text to the editor and takes back what it saved; the screen is redrawn afterwards. */
    void edit() {
        if (tty == null) {
            m.flash("an editor needs a real terminal", true);
            return;
        }
        List<String> command = command(env);
        // Its name, not its path: the one line of the status bar has room for little else.
        String name = String.valueOf(Path.of(command.get(0)).getFileName());
        Path file = null;
        try {
            file = PrivateFiles.tempFile(Path.of(System.getProperty("java.io.tmpdir")), "novyse-draft-", ".txt");
            String draft = m.composer.text();
            // Lines of a text file end in a newline, as an editor writes them; an empty draft is an empty file.
            Files.writeString(file, draft.isEmpty() ? "" : draft + "\n");
            List<String> argv = new ArrayList<>(command);
            argv.add(file.toString());
            int code = tty.run(new ProcessBuilder(argv));
            if (code != 0) {
                m.flash(name + " exited with " + code + "; the draft is as it was", true);
                return;
            }
            m.composer.set(withoutFinalNewline(TerminalInput.clean(Files.readString(file))));
            m.focus = UiModel.Focus.COMPOSER;
        } catch (IOException e) {
            m.flash("cannot run " + name + ": " + reason(e) + "; the draft is as it was", true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            m.fullRedraw = true;
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException ignored) {
                    // in the temporary folder, private to this user: the system's cleaning takes it
                }
            }
        }
    }

    /** An editor ends the file it saves with a newline; the message does not. */
    private static String withoutFinalNewline(String text) {
        return text.endsWith("\n") ? text.substring(0, text.length() - 1) : text;
    }

    /** "error=2, No such file or directory" of Java's message, as the one line a person needs. */
    private static String reason(IOException e) {
        String message = String.valueOf(e.getMessage());
        int at = message.indexOf("error=");
        if (at >= 0 && message.indexOf(", ", at) > 0) return message.substring(message.indexOf(", ", at) + 2);
        return message.lines().findFirst().orElse(message);
    }
}
