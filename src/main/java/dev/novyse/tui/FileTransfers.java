package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutgoingFile;
import dev.novyse.sync.FileFetcher;
import dev.novyse.sync.OutboxSender;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Files in and out: the prompts that ask for a path, attaching a file to the open chat, saving an attachment. */
final class FileTransfers {
    private final UiModel m;
    private final ServerCalls calls;
    /** The config's {@code download-dir} as typed ({@code ~} allowed), or null. */
    private final String downloadDir;

    FileTransfers(UiModel m, ServerCalls calls, String downloadDir) {
        this.m = m;
        this.calls = calls;
        this.downloadDir = downloadDir == null || downloadDir.isBlank() ? null : downloadDir;
    }

    void promptAttach() {
        if (calls.postableChat(false) == null) return; // asked before the path is typed, not after
        m.overlay = UiModel.Prompt.forPath("Attach a file (path, Tab completes; Enter sends, Esc cancels)", "", this::attach);
    }

    /** Sends the file at {@code pathText} to the open chat, with what the composer holds as its caption. */
    void attach(String pathText) {
        if (pathText.isBlank()) return;
        AppState.OpenChat open = calls.postableChat(false);
        if (open == null) return;
        Path path = expandHome(pathText);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            m.flash("cannot attach " + path + ": " + (Files.exists(path) ? "not a readable file" : "no such file"), true);
            return;
        }
        try {
            OutgoingFile.of(path); // what the outbox will take (a name it can send), asked now
        } catch (IOException e) {
            m.flash("cannot attach it: " + e.getMessage(), true);
            return;
        }
        String caption = m.composer.text().isBlank() ? null : m.composer.text();
        String tooLong = OutboxSender.tooLong(caption);
        if (tooLong != null) { // the caption stays in the composer to be cut down
            m.flash(tooLong, true);
            return;
        }
        Long reply = m.replyTo == null ? null : m.replyTo.id();
        m.composer.clear();
        m.replyTo = null;
        calls.sendFile(open, path, caption, reply);
    }

    /**
     * Asks which attachment to save when the message has several (by number), then where, offering the download
     * directory. A folder on the way that does not exist yet is created.
     */
    void promptSave(MessageView message) {
        choose(message, "Save", this::promptSave);
    }

    /** The message's one file, or the one picked by number when it has several, goes to {@code then}. */
    void choose(MessageView message, String verb, java.util.function.Consumer<MessageView.FileView> then) {
        List<MessageView.FileView> files = message.files();
        if (files.isEmpty()) {
            m.flash("this message has no attachment", true);
            return;
        }
        if (files.size() == 1) {
            then.accept(files.get(0));
            return;
        }
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < files.size(); i++) {
            choices.append(i == 0 ? "" : " · ").append(i + 1).append(' ').append(name(files.get(i)));
        }
        m.overlay = new UiModel.Prompt(verb + " which file? " + choices + " (its number, Enter; Esc cancels)", "1",
                answer -> {
                    int n = answer.matches("\\d{1,3}") ? Integer.parseInt(answer) : 0;
                    if (n < 1 || n > files.size()) {
                        m.flash("no file " + answer + ": a number from 1 to " + files.size(), true);
                        return;
                    }
                    then.accept(files.get(n - 1));
                });
    }

    private void promptSave(MessageView.FileView file) {
        String suggested = downloadDir().resolve(FileFetcher.safeName(file.name())).toString();
        m.overlay = UiModel.Prompt.forPath("Save " + name(file) + " to (Tab completes; Enter saves, Esc cancels)", suggested, path -> {
            if (path.isBlank()) return;
            // A folder (one that exists, or any path typed with a slash at its end) gets the file under its own name.
            Path typed = expandHome(path);
            Path target = path.endsWith("/") || Files.isDirectory(typed) ? typed.resolve(FileFetcher.safeName(file.name()))
                    : typed;
            Runnable save = () -> calls.run("saved " + target, a -> a.saveFile(file.uuid(), file.size(), file.name(), target));
            if (Files.exists(target)) m.overlay = new UiModel.Confirm(target + " exists. Replace it?", save);
            else save.run();
        });
    }

    static String name(MessageView.FileView file) {
        return file.name() == null ? file.uuid() : file.name();
    }

    /**
     * A typed path: {@code ~} is the home directory as the shell has it ({@code $HOME}, which may differ from the
     * passwd entry Java reads), a relative path is from the working directory.
     */
    private static Path expandHome(String path) {
        String home = home();
        if (path.equals("~")) return Path.of(home);
        if (path.startsWith("~/")) return Path.of(home, path.substring(2));
        return Path.of(path).toAbsolutePath();
    }

    /** The home directory as the shell has it (see {@link #expandHome}). */
    static String home() {
        String home = System.getenv("HOME");
        return home == null || home.isBlank() ? System.getProperty("user.home") : home;
    }

    /**
     * The config's {@code download-dir} (made when a file is saved there), else $XDG_DOWNLOAD_DIR, else ~/Downloads
     * when it exists, else the working directory.
     */
    private Path downloadDir() {
        if (downloadDir != null) return expandHome(downloadDir);
        String xdg = System.getenv("XDG_DOWNLOAD_DIR");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg);
        Path downloads = Path.of(home(), "Downloads");
        return Files.isDirectory(downloads) ? downloads : Path.of("").toAbsolutePath();
    }
}
