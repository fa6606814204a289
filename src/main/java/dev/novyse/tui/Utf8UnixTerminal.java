package dev.novyse.tui;

import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lanterna's Unix terminal, writing each screen cell's text as whole UTF-8. The stock {@code putString} encodes
 * one {@code char} at a time, which turns every emoji outside the Basic Multilingual Plane (a surrogate pair)
 * into "??". Also turns off XON/XOFF flow control while the screen is up: otherwise the tty driver swallows
 * Ctrl-Q and Ctrl-S before novyse sees them (Ctrl-Q is Quit). Lanterna restores the saved settings on exit.
 */
final class Utf8UnixTerminal extends UnixTerminal {
    Utf8UnixTerminal(InputStream in, OutputStream out) throws IOException {
        super(in, out, StandardCharsets.UTF_8, CtrlCBehaviour.TRAP);
    }

    @Override
    protected void canonicalMode(boolean enabled) throws IOException {
        super.canonicalMode(enabled);
        runSTTYCommand(enabled ? "ixon" : "-ixon");
    }

    @Override
    public void putString(String string) throws IOException {
        boolean surrogates = false;
        for (int i = 0; i < string.length() && !surrogates; i++) surrogates = Character.isSurrogate(string.charAt(i));
        // A pictograph Lanterna counts two columns wide that the terminal advances one: a space makes up the other.
        String shown = string + TextWidth.padding(string);
        if (surrogates || !shown.equals(string)) writeToTerminal(shown.getBytes(StandardCharsets.UTF_8));
        else super.putString(string);
    }
}
