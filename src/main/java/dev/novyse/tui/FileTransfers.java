package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;
import dev.novyse.sync.FileFetcher;

import java.nio.file.Files;
import java.nio.file.Path;

/** Files in and out: the prompts that ask for a path, attaching a file to the open chat, saving an attachment. */
final class FileTransfers {
    private final UiModel m;
    private final ServerCalls calls;

    FileTransfers(UiModel m, ServerCalls calls) {
        this.m = m;
        this.calls = calls;
    }

    void promptAttach() {
        m.overlay = new UiModel.Prompt("Attach a file (path; Enter sends, Esc cancels)", "", this::attach);
    }

    /** Sends the file at {@code pathText} to the open chat, with what the composer holds as its caption. */
    void attach(String pathText) {
        if (pathText.isBlank()) return;
        AppState.OpenChat open = calls.writableChat();
        if (open == null) return;
        Path path = expandHome(pathText);
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            m.flash("cannot attach " + path + ": " + (Files.exists(path) ? "not a readable file" : "no such file"), true);
            return;
        }
        String caption = m.composer.text().isBlank() ? null : m.composer.text();
        Long reply = m.replyTo == null ? null : m.replyTo.id();
        m.composer.clear();
        m.replyTo = null;
        calls.sendFile(open, path, caption, reply);
    }

    /** Asks where to save the message's (first) attachment, offering the download directory. */
    void promptSave(MessageView message) {
        if (message.files().isEmpty()) {
            m.flash("this message has no attachment", true);
            return;
        }
        var file = message.files().get(0);
        String suggested = downloadDir().resolve(FileFetcher.safeName(file.name())).toString();
        m.overlay = new UiModel.Prompt("Save " + file.name() + " to (Enter saves, Esc cancels)", suggested, path -> {
            if (path.isBlank()) return;
            Path target = expandHome(path);
            calls.run("saved " + target, a -> a.saveFile(file.uuid(), file.size(), file.name(), target));
        });
    }

    /** A typed path: {@code ~} is the home directory as in a shell, a relative path is from the working directory. */
    private static Path expandHome(String path) {
        String home = System.getProperty("user.home");
        if (path.equals("~")) return Path.of(home);
        if (path.startsWith("~/")) return Path.of(home, path.substring(2));
        return Path.of(path).toAbsolutePath();
    }

    /** $XDG_DOWNLOAD_DIR, else ~/Downloads when it exists, else the working directory. */
    private static Path downloadDir() {
        String xdg = System.getenv("XDG_DOWNLOAD_DIR");
        if (xdg != null && !xdg.isBlank()) return Path.of(xdg);
        Path downloads = Path.of(System.getProperty("user.home"), "Downloads");
        return Files.isDirectory(downloads) ? downloads : Path.of("").toAbsolutePath();
    }
}
