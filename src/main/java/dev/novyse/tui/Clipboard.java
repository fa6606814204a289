package dev.novyse.tui;

import dev.novyse.store.MessageView;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Copies a message's text to the clipboard of the person's terminal with OSC 52: the terminal (or tmux with
 * {@code set-clipboard on}) takes it, so copying works over SSH, where no clipboard program of this host would reach.
 */
final class Clipboard {
    /** Writes a control sequence to the screen's terminal and flushes it ({@link Utf8UnixTerminal#writeControl}). */
    @FunctionalInterface
    interface Terminal {
        void write(byte[] sequence) throws IOException;
    }

    private final UiModel m;
    /** Null when the screen has no real terminal (a virtual one). */
    private final Terminal terminal;

    Clipboard(UiModel m, Terminal terminal) {
        this.m = m;
        this.terminal = terminal;
    }

    /** {@code ESC ] 52 ; c ; <base64 of the UTF-8 text> BEL}: "c" is the clipboard selection. */
    static byte[] osc52(String text) {
        String b64 = Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
        return ("\033]52;c;" + b64 + "\007").getBytes(StandardCharsets.US_ASCII);
    }

    void copy(MessageView message) {
        String text = message.deleted() || message.content() == null ? "" : message.content();
        if (text.isEmpty()) {
            m.flash("nothing to copy: the message has no text", true);
            return;
        }
        if (terminal == null) {
            m.flash("copying needs a real terminal", true);
            return;
        }
        try {
            terminal.write(osc52(text));
            int chars = text.codePointCount(0, text.length());
            m.flash("copied " + chars + (chars == 1 ? " character" : " characters"), false);
        } catch (IOException e) {
            m.flash("cannot copy: the terminal cannot be written to", true);
        }
    }
}
