package dev.novyse.tui;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The terminal's bytes on their way to Lanterna's key decoder, with each bracketed paste taken out whole.
 *
 * <p>With bracketed paste on ({@code ESC[?2004h}) a terminal sends a paste between {@code ESC[200~} and
 * {@code ESC[201~}. Lanterna 3.1.5 knows neither: left to it, each pasted newline would be an Enter that sends. Its
 * decoder also gives up on a sequence that pauses longer than a quarter second, which a long paste over SSH can do,
 * so the paste is collected here, before decoding, with no time limit: its text goes to {@link #takePaste()} and
 * only the start marker reaches the decoder, which {@link InputPatterns} turns into one {@link InputPatterns#PASTE}
 * key. The text is cleaned for a message: CR LF and CR become LF, and other control characters are dropped.
 */
final class TerminalInput extends InputStream {
    private static final byte[] START = "\033[200~".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\033[201~".getBytes(StandardCharsets.US_ASCII);

    private final InputStream in;
    private final Queue<String> pastes = new ConcurrentLinkedQueue<>();
    private final byte[] raw = new byte[8192];
    /** Bytes ready for the decoder: {@code out[pos, lim)}. */
    private byte[] out = new byte[8192];
    private int pos;
    private int lim;

    TerminalInput(InputStream in) {
        this.in = in;
    }

    /** Guards the three fields below: the reading thread waits on it while paused. */
    private final Object gate = new Object();
    private boolean pauseAsked;
    private boolean parked;
    /** The reading thread is in (or about to enter) a read of the terminal. */
    private boolean reading;

    /**
     * Asks the reading thread to stop reading the terminal (another program is about to read it) and waits up to
     * {@code millis} until it has; true when it did. A thread blocked in a read stops only once that read returns:
     * then {@code wake} makes the terminal send something (the caller's query), and what that read brings is
     * dropped. A terminal that never answers leaves the thread in its read, and the other program's first keys
     * are dropped here instead.
     */
    boolean pause(Runnable wake, long millis) throws InterruptedException {
        boolean inRead;
        synchronized (gate) {
            pauseAsked = true;
            inRead = reading;
        }
        if (inRead) wake.run();
        long deadline = System.currentTimeMillis() + millis;
        synchronized (gate) {
            for (long left = millis; !parked && left > 0; left = deadline - System.currentTimeMillis()) gate.wait(left);
            return parked;
        }
    }

    /** Lets the reading thread read the terminal again. */
    void resume() {
        synchronized (gate) {
            pauseAsked = false;
            gate.notifyAll();
        }
    }

    /** Waits while paused, then notes that a read of the terminal begins. */
    private void beforeRead() throws IOException {
        synchronized (gate) {
            try {
                while (pauseAsked) {
                    parked = true;
                    gate.notifyAll();
                    gate.wait();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while the terminal was lent");
            } finally {
                parked = false;
            }
            reading = true;
        }
    }

    /** Notes that a read returned; true when what it brought is to be dropped (a pause was asked for meanwhile). */
    private boolean afterRead() {
        synchronized (gate) {
            reading = false;
            return pauseAsked;
        }
    }

    /** The text of the oldest paste whose marker the decoder has passed on; null when there is none. */
    String takePaste() {
        return pastes.poll();
    }

    @Override
    public int read() throws IOException {
        if (pos == lim && !fill()) return -1;
        return out[pos++] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) return 0;
        if (pos == lim && !fill()) return -1;
        int n = Math.min(len, lim - pos);
        System.arraycopy(out, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public int available() throws IOException {
        return lim - pos + in.available();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** Reads what the terminal has sent (blocking for at least one byte the decoder may have); false at its end. */
    private boolean fill() throws IOException {
        pos = 0;
        lim = 0;
        while (lim == 0) {
            beforeRead();
            int n;
            try {
                n = in.read(raw, 0, raw.length);
            } catch (IOException e) {
                afterRead();
                throw e;
            }
            // Read while a pause was asked for: the terminal's answer to the wake-up query, or keys typed as the
            // other program started. Neither is for this screen.
            if (afterRead() && n > 0) continue;
            if (n < 0) {
                if (inPaste) {
                    paste.write(END, 0, held); // the terminal went away inside a paste: keep what came
                    endPaste();
                } else {
                    append(START, 0, held);
                }
                held = 0;
                return lim > 0;
            }
            for (int i = 0; i < n; i++) {
                if (inPaste) pasteByte(raw[i]);
                else normalByte(raw[i]);
            }
            // A start marker cut at the end of this read is waited for only if the rest is already on its way,
            // so that a lone Escape key still reaches the decoder at once.
            if (!inPaste && held > 0 && in.available() == 0) {
                append(START, 0, held);
                held = 0;
            }
        }
        return true;
    }

    private boolean inPaste;
    /** How many bytes of the start marker (outside a paste) or of the end marker (inside one) are held back. */
    private int held;
    private final ByteArrayOutputStream paste = new ByteArrayOutputStream();

    private void normalByte(byte b) {
        if (b == START[held]) {
            if (++held == START.length) {
                held = 0;
                inPaste = true;
                paste.reset();
            }
            return;
        }
        append(START, 0, held);
        held = 0;
        if (b == START[0]) {
            held = 1;
        } else {
            if (lim == out.length) out = Arrays.copyOf(out, out.length * 2);
            out[lim++] = b;
        }
    }

    private void pasteByte(byte b) {
        if (b == END[held]) {
            if (++held == END.length) {
                held = 0;
                endPaste();
            }
            return;
        }
        paste.write(END, 0, held);
        held = 0;
        if (b == END[0]) held = 1;
        else paste.write(b);
    }

    private void endPaste() {
        inPaste = false;
        pastes.add(clean(paste.toString(StandardCharsets.UTF_8)));
        paste.reset();
        append(START, 0, START.length);
    }

    /** A paste as a message draft: line ends as LF, no control characters but tab and newline. */
    static String clean(String s) {
        String lines = s.replace("\r\n", "\n").replace('\r', '\n');
        StringBuilder b = new StringBuilder(lines.length());
        lines.codePoints().filter(c -> c == '\n' || c == '\t' || !(Character.getType(c) == Character.CONTROL))
                .forEach(b::appendCodePoint);
        return b.toString();
    }

    private void append(byte[] b, int off, int len) {
        if (len <= 0) return;
        if (lim + len > out.length) out = Arrays.copyOf(out, Math.max(out.length * 2, lim + len));
        System.arraycopy(b, off, out, lim, len);
        lim += len;
    }
}
