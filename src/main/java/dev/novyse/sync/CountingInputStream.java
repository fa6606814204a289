package dev.novyse.sync;

import java.io.IOException;
import java.util.function.LongConsumer;

/** Reports how many bytes were read so far: for an upload, how many went to the connection. */
final class CountingInputStream extends java.io.FilterInputStream {
    private final LongConsumer progress;
    private long count;

    CountingInputStream(java.io.InputStream in, LongConsumer progress) {
        super(in);
        this.progress = progress == null ? n -> { } : progress;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) progress.accept(++count);
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) progress.accept(count += n);
        return n;
    }
}
