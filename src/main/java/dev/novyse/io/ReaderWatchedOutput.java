package dev.novyse.io;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * An output stream (stdout) that remembers whether the reader went away: a write failed with a broken pipe. A command
 * that streams to stdout ends quietly then ({@code | head}), but any other failure must still be reported: a value in
 * the store it cannot read, or stdout redirected to a full disk ({@code > /dev/full}), where an export would otherwise
 * exit 0 with a file cut short. Catching an IOException alone cannot tell them apart.
 */
public final class ReaderWatchedOutput extends FilterOutputStream {
    private boolean readerGone;

    public ReaderWatchedOutput(OutputStream out) {
        super(out);
    }

    /** Whether a write or flush to the underlying stream failed with a broken pipe (the reader went away). */
    public boolean readerGone() {
        return readerGone;
    }

    @Override
    public void write(int b) throws IOException {
        watched(() -> out.write(b));
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        watched(() -> out.write(b, off, len));
    }

    @Override
    public void flush() throws IOException {
        watched(out::flush);
    }

    private interface Write {
        void run() throws IOException;
    }

    private void watched(Write write) throws IOException {
        try {
            write.run();
        } catch (IOException e) {
            readerGone |= brokenPipe(e);
            throw e;
        }
    }

    /** EPIPE, as the JDK words it on Linux and macOS (there is no exception class of its own). */
    private static boolean brokenPipe(IOException e) {
        return e.getMessage() != null && e.getMessage().contains("Broken pipe");
    }
}
