package dev.novyse.tui;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;

/**
 * The chat screen's output to the tty, buffered and flushed once per frame (Lanterna flushes at the end of each
 * refresh). Lanterna writes each cell on its own; through {@code System.out}, which flushes every write, the first
 * frame took ~3,250 write calls (~70 ms into tmux) and every frame one call per changed cell. The one write that
 * waits for an answer — the cursor-position query Lanterna sizes the terminal with ({@code ESC [ 6 n}) — goes out at
 * once, or the terminal could not answer it.
 */
final class TerminalOutput extends BufferedOutputStream {
    TerminalOutput() {
        super(new FileOutputStream(FileDescriptor.out), 1 << 16);
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        super.write(b, off, len);
        if (isCursorQuery(b, off, len)) flush();
    }

    static boolean isCursorQuery(byte[] b, int off, int len) {
        return len >= 4 && b[off + len - 4] == 0x1b && b[off + len - 3] == '[' && b[off + len - 2] == '6'
                && b[off + len - 1] == 'n';
    }
}
