package dev.novyse.tui;

import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.store.MessageView;

import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Opens a link of the selected message with the configured command ({@code open = xdg-open {url}}): its words, with
 * {@code {url}} replaced (or the URL appended), run directly, never through a shell, so a message cannot inject
 * commands. A message with several links asks which by number.
 */
final class Links {
    static final String DEFAULT_OPENER = "xdg-open {url}";
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+", Pattern.CASE_INSENSITIVE);
    /** Punctuation that ends a sentence rather than the URL ("see https://x.org/a."). */
    private static final String TRAILING = ".,;:!?)]}'";

    private final UiModel m;
    private final List<String> opener;
    private final Consumer<Runnable> ui;

    /** {@code opener}: the config's {@code open}, null for the default; {@code ui}: runs a flash on the UI thread. */
    Links(UiModel m, String opener, Consumer<Runnable> ui) {
        this.m = m;
        String words = opener == null || opener.isBlank() ? DEFAULT_OPENER : opener;
        this.opener = List.of(words.strip().split("\\s+"));
        this.ui = ui;
    }

    /** The http and https URLs in {@code text}, in order, without the punctuation that ends a sentence. */
    static List<String> urls(String text) {
        List<String> found = new ArrayList<>();
        if (text == null) return found;
        Matcher u = URL.matcher(text);
        while (u.find()) {
            String url = u.group();
            while (!url.isEmpty() && TRAILING.indexOf(url.charAt(url.length() - 1)) >= 0) url = url.substring(0, url.length() - 1);
            if (url.length() > "https://".length()) found.add(url);
        }
        return found;
    }

    /** The opener's words with {@code {url}} replaced; the URL is appended when no word holds it. */
    static List<String> command(List<String> opener, String url) {
        List<String> argv = new ArrayList<>();
        boolean placed = false;
        for (String word : opener) {
            placed |= word.contains("{url}");
            argv.add(word.replace("{url}", url));
        }
        if (!placed) argv.add(url);
        return argv;
    }

    void open(MessageView message) {
        List<String> urls = message.deleted() ? List.of() : urls(message.content());
        if (urls.isEmpty()) {
            m.flash("no link in this message", true);
            return;
        }
        if (urls.size() == 1) {
            start(urls.get(0));
            return;
        }
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < urls.size(); i++) choices.append(i == 0 ? "" : " · ").append(i + 1).append(' ').append(urls.get(i));
        m.overlay = new UiModel.Prompt("Open which link? " + choices + " (its number, Enter; Esc cancels)", "1", answer -> {
            int n = answer.matches("\\d{1,3}") ? Integer.parseInt(answer) : 0;
            if (n < 1 || n > urls.size()) {
                m.flash("no link " + answer + ": a number from 1 to " + urls.size(), true);
                return;
            }
            start(urls.get(n - 1));
        });
    }

    private void start(String url) {
        launch(command(opener, url), url, "the link");
    }

    /** The opener's command for {@code target} (a link, a file's path): {@code {url}} replaced, or it appended. */
    List<String> command(String target) {
        return command(opener, target);
    }

    /**
     * Starts {@code argv} off the UI thread (a fork and exec), not waited for; its output is discarded. {@code shown}
     * and {@code what} say in the status line what is opened.
     */
    void launch(List<String> argv, String shown, String what) {
        m.flash("opening " + shown, false);
        DaemonThreads.start("novyse-open", () -> {
            try {
                new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
            } catch (IOException e) {
                ui.accept(() -> m.flash("cannot open " + what + ": '" + argv.get(0) + "' cannot be started", true));
            }
        });
    }
}
