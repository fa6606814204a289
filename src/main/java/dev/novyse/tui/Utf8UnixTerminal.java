package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyDecodingProfile;
import com.googlecode.lanterna.terminal.ansi.UnixTerminal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Lanterna's Unix terminal, set up for a chat client that people type into:
 * <ul>
 *   <li>each screen cell's text written as whole UTF-8 (the stock {@code putString} encodes one {@code char} at a
 *       time, which turns every emoji outside the Basic Multilingual Plane, a surrogate pair, into "??");</li>
 *   <li>while the screen is up, the tty driver leaves keys alone: no XON/XOFF (it swallows C-q and C-s; C-q quits),
 *       no CR-to-LF translation ({@code -icrnl}, so Enter and C-j differ), and C-z and C-\ arrive as keys instead of
 *       stopping the process behind the screen's back or printing the JVM's thread dump over it; C-c already does
 *       (Lanterna's trap mode). Lanterna restores the saved settings on every exit;</li>
 *   <li>bracketed paste on while the screen is up, each paste taken out whole by {@link TerminalInput} and decoded
 *       with {@link InputPatterns};</li>
 *   <li>{@link #suspend()}: C-z done by hand, the terminal as the shell left it while stopped;
 *       {@link #runProgram}: the terminal lent to another program (an editor) the same way.</li>
 * </ul>
 */
final class Utf8UnixTerminal extends UnixTerminal {
    private static final byte[] PASTE_ON = "\033[?2004h".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PASTE_OFF = "\033[?2004l".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CURSOR_QUERY = "\033[6n".getBytes(StandardCharsets.US_ASCII);

    private final TerminalInput input;

    Utf8UnixTerminal(InputStream in, OutputStream out) throws IOException {
        this(new TerminalInput(in), out);
    }

    private Utf8UnixTerminal(TerminalInput input, OutputStream out) throws IOException {
        super(input, out, StandardCharsets.UTF_8, CtrlCBehaviour.TRAP);
        this.input = input;
    }

    /** The text of the paste whose {@link InputPatterns#PASTE} key was just read. */
    String takePaste() {
        return input.takePaste();
    }

    /** A control sequence the screen does not draw (OSC 52, {@link Clipboard}), written whole and flushed. */
    void writeControl(byte[] sequence) throws IOException {
        writeToTerminal(sequence);
        flush();
    }

    @Override
    protected KeyDecodingProfile getDefaultKeyDecodingProfile() {
        return new InputPatterns();
    }

    /**
     * Lanterna's own settings (icanon, min 1) plus ours: no XON/XOFF (C-s, C-q are keys) and no CR-to-LF (Enter and
     * C-j differ). One stty process for all of them: each is a fork and exec on the way to the first frame.
     */
    @Override
    protected void canonicalMode(boolean enabled) throws IOException {
        if (enabled) runSTTYCommand("icanon", "ixon", "icrnl");
        else runSTTYCommand("-icanon", "min", "1", "-ixon", "-icrnl");
    }

    /** Lanterna's intr, plus susp and quit: while the screen is up C-c, C-z and C-\\ arrive as keys. One stty. */
    @Override
    protected void keyStrokeSignalsEnabled(boolean enabled) throws IOException {
        if (enabled) runSTTYCommand("intr", "^C", "susp", "^Z", "quit", "^\\");
        else runSTTYCommand("intr", "undef", "susp", "undef", "quit", "undef");
    }

    @Override
    public void enterPrivateMode() throws IOException {
        super.enterPrivateMode();
        writeToTerminal(PASTE_ON);
        flush();
    }

    @Override
    public void exitPrivateMode() throws IOException {
        writeToTerminal(PASTE_OFF);
        super.exitPrivateMode();
        flush(); // the output is buffered (TuiApp.run): leaving the screen must reach the terminal now
    }

    /**
     * Stops the job as C-z does in a shell: the screen left and the tty given back as they were before novyse
     * started, then SIGTSTP to the whole process group, as the tty driver sends it (a launcher script or a
     * {@code novyse; echo} list stops with it, and the shell sees the job stopped). The {@code kill} process is in
     * the group too and stops with it, so waiting for it returns once the shell continues the job (fg, SIGCONT);
     * then raw mode and the screen are entered again, and the caller redraws everything.
     */
    void suspend() throws IOException {
        leaveScreen();
        try {
            new ProcessBuilder("kill", "-TSTP", "0").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // Here once continued.
        enterScreen();
        // A window resized while stopped sent its SIGWINCH to the foreground job (the shell), never to novyse: the
        // size is asked again, so the redraw after fg fits the window as it is now.
        getTerminalSize();
    }

    /**
     * Runs {@code program} on the terminal, with the tty as its standard streams (an editor): the screen left and the
     * tty as the shell had it meanwhile, and novyse not reading it; then raw mode and the screen again, and the caller
     * redraws everything. Returns the program's exit code; throws when it cannot be started.
     */
    int runProgram(ProcessBuilder program) throws IOException, InterruptedException {
        // The input thread waits in a read of the tty, where it would take the program's keys; the terminal's answer
        // to "where is the cursor?" ends that read.
        input.pause(() -> {
            try {
                writeToTerminal(CURSOR_QUERY);
                flush();
            } catch (IOException gone) {
                // a terminal that cannot be written to will not be read by the program either
            }
        }, 1000);
        leaveScreen();
        try {
            return program.inheritIO().start().waitFor();
        } finally {
            enterScreen();
            input.resume();
        }
    }

    private void leaveScreen() throws IOException {
        exitPrivateMode();
        setCursorVisible(true);
        flush();
        restoreTerminalSettings();
    }

    private void enterScreen() throws IOException {
        canonicalMode(false);
        keyEchoEnabled(false);
        keyStrokeSignalsEnabled(false);
        enterPrivateMode();
    }

    /**
     * Every cell's text as whole UTF-8, never through Lanterna's per-{@code char} translation: that encodes one char
     * at a time (a surrogate pair became "??") and hands on the encoder's whole buffer, so every character of two
     * UTF-8 bytes (é, ü, Cyrillic, Greek, Hebrew, Arabic, combining marks, ·) reached the terminal followed by a NUL
     * byte. ASCII is the same either way.
     */
    @Override
    public void putString(String string) throws IOException {
        // A pictograph Lanterna counts two columns wide that the terminal advances one: a space makes up the other.
        String shown = string + TextWidth.padding(string);
        if (Ascii.isAscii(shown)) super.putString(shown);
        else writeToTerminal(shown.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void putCharacter(char c) throws IOException {
        if (c < 0x80) super.putCharacter(c); // the stock putString comes here for each of its chars
        else putString(String.valueOf(c));
    }
}
