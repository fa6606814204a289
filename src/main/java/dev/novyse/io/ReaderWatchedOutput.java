package dev.novyse.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream (stdout) that remembers whether a write to it failed. A command that streams to stdout ends
 * quietly when the reader goes away (a closed pipe: {@code | head}), but any other failure on the way, such as a
 * value in the store it cannot read, must still be reported: catching an IOException alone cannot tell them apart.
 */
public final class ReaderWatchedOutput extends FilterOutputStream {
    private boolean readerGone;

    public ReaderWatchedOutput(OutputStream out) {
        super(out);
    }

    /** Whether a write or flush to the underlying stream failed (the reader went away). */
    public boolean readerGone() {
        return readerGone;
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            readerGone = true;
            throw e;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            readerGone = true;
            throw e;
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            readerGone = true;
            throw e;
        }
    }
}
