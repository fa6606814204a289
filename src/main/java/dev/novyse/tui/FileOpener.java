package dev.novyse.tui;

import dev.novyse.io.PrivateFiles;
import dev.novyse.store.MessageView;
import dev.novyse.sync.FileFetcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Opens or previews an attachment of the selected message: the file fetched into a private folder of the cache
 * ({@code open/<file id>/<name>}, 0700 folders and a 0600 file), then a text file shown in {@code $PAGER} ({@code less}
 * when unset) with the terminal lent to it as to the editor, anything else handed to the {@code open} command
 * ({@link Links}: {@code xdg-open} by default). Both get the path as an argument of their own, never through a shell.
 */
final class FileOpener {
    private final UiModel m;
    private final ServerCalls calls;
    private final FileTransfers files;
    private final Links links;
    /** Null when the screen has no real terminal to lend (a virtual one). */
    private final ExternalEditor.Tty tty;
    private final Path folder;
    private final Map<String, String> env;

    FileOpener(UiModel m, ServerCalls calls, FileTransfers files, Links links, ExternalEditor.Tty tty, Path cacheDir,
               Map<String, String> env) {
        this.m = m;
        this.calls = calls;
        this.files = files;
        this.links = links;
        this.tty = tty;
        this.folder = (cacheDir != null ? cacheDir : Path.of(System.getProperty("java.io.tmpdir"))).resolve("open");
        this.env = env;
    }

    /** The pager's command: {@code $PAGER}'s words, else {@code less}. */
    static List<String> pager(Map<String, String> env) {
        String value = env.get("PAGER");
        return value == null || value.isBlank() ? List.of("less") : List.of(value.strip().split("\\s+"));
    }

    /** Text goes to the pager: a {@code text/*} type, or without a type a name that says text. */
    static boolean isText(MessageView.FileView f) {
        if (f.mimeType() != null && !f.mimeType().isBlank()) return f.mimeType().toLowerCase(Locale.ROOT).startsWith("text/");
        String name = f.name() == null ? "" : f.name().toLowerCase(Locale.ROOT);
        return name.matches(".*\\.(txt|md|log|csv|json|xml|ya?ml|java|py|c|h|sh|conf|ini)");
    }

    void open(MessageView message) {
        files.choose(message, "Open", this::open);
    }

    private void open(MessageView.FileView file) {
        Path target = folder.resolve(FileFetcher.safeName(file.uuid())).resolve(FileFetcher.safeName(file.name()));
        m.flash("fetching " + FileTransfers.name(file) + "…", false);
        calls.runThenOpen("opening " + FileTransfers.name(file), a -> {
            try {
                PrivateFiles.directories(target.getParent());
                a.saveFile(file.uuid(), file.size(), file.name(), target);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot keep " + FileTransfers.name(file) + " in the cache", e);
            }
            return target.toString();
        }, path -> show(file, Path.of(path)));
    }

    private void show(MessageView.FileView file, Path path) {
        if (!isText(file)) {
            links.launch(links.command(path.toString()), FileTransfers.name(file), FileTransfers.name(file));
            return;
        }
        if (tty == null) {
            m.flash("a pager needs a real terminal", true);
            return;
        }
        List<String> argv = new ArrayList<>(pager(env));
        argv.add(path.toString());
        try {
            int code = tty.run(new ProcessBuilder(argv));
            if (code != 0) m.flash(argv.get(0) + " exited with " + code, true);
        } catch (IOException e) {
            m.flash("cannot run " + argv.get(0) + ": " + String.valueOf(e.getMessage()).lines().findFirst().orElse(""), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            m.fullRedraw = true;
        }
    }
}
