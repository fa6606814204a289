package dev.novyse.export;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;

import static dev.novyse.export.JsonBytes.ESC;
import static dev.novyse.export.JsonBytes.HEX;
import static dev.novyse.export.JsonBytes.LONGS;
import static dev.novyse.export.JsonBytes.NULL;
import static dev.novyse.export.JsonBytes.plain;
import static dev.novyse.export.JsonBytes.utf8Len;
import static dev.novyse.export.JsonBytes.wellFormed;

/**
 * The output buffer of a JSON Lines export: bytes, numbers and TEXT values escaped as JSON strings are appended
 * straight into one array, which is drained when full (to the output stream, or, for a parallel reader, to the
 * writing thread). No String and no copy per value but the one into the buffer.
 */
final class JsonlBuffer {
    /** The buffer's size: an output chunk, as handed from a reader thread to the writing thread. */
    static final int CHUNK = 1 << 17;
    /** Values longer than this are escaped in pieces of this size. */
    private static final int BLOCK = 1 << 16;

    /** Where full buffers go: the output stream, or the queue to the writing thread. Returns the buffer to go on with. */
    interface Drain {
        byte[] drain(byte[] buf, int length) throws IOException;
    }

    record StreamDrain(OutputStream os) implements Drain {
        @Override
        public byte[] drain(byte[] buf, int length) throws IOException {
            os.write(buf, 0, length);
            return buf;
        }
    }

    private final Drain drain;
    private byte[] buf = new byte[CHUNK];
    private int pos;

    JsonlBuffer(Drain drain) {
        this.drain = drain;
    }

    /** Drains what is buffered (the end of a chat, for the parallel readers). */
    void handOff() throws IOException {
        if (pos > 0) {
            buf = drain.drain(buf, pos);
            pos = 0;
        }
    }

    void flush() throws IOException {
        handOff();
        if (drain instanceof StreamDrain s) s.os().flush();
    }

    private void ensure(int n) throws IOException {
        if (pos + n <= buf.length) return;
        handOff();
        if (n > buf.length) buf = new byte[Math.max(n, buf.length * 2)];
    }

    void raw(byte b) throws IOException {
        if (pos == buf.length) ensure(1);
        buf[pos++] = b;
    }

    void raw(byte[] b) throws IOException {
        ensure(b.length);
        System.arraycopy(b, 0, buf, pos, b.length);
        pos += b.length;
    }

    void num(long v) throws IOException {
        ensure(20);
        if (v >= 0 && v < 10) {
            buf[pos++] = (byte) ('0' + v);
            return;
        }
        if (v < 0) {
            byte[] s = Long.toString(v).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(s, 0, buf, pos, s.length);
            pos += s.length;
            return;
        }
        int digits = 1;
        for (long t = v / 10; t > 0; t /= 10) digits++;
        int p = pos + digits;
        pos = p;
        do {
            buf[--p] = (byte) ('0' + v % 10);
            v /= 10;
        } while (v > 0);
    }

    /**
     * Writes {@code b} (a TEXT column's UTF-8 bytes, or null) as a JSON string value. Should the bytes not be
     * well-formed UTF-8, the column is read again as a String ({@code rs}, {@code col}), as the generic
     * exporter reads it. A long value is escaped a block at a time, so the buffer never needs six times it.
     */
    void str(byte[] b, ResultSet rs, int col) throws IOException, SQLException {
        if (b == null) {
            raw(NULL);
            return;
        }
        if (b.length <= BLOCK) {
            ensure(b.length * 6 + 2);
            int start = pos;
            buf[pos++] = '"';
            if (escape(b, 0, b.length) >= 0) {
                buf[pos++] = '"';
                return;
            }
            pos = start;
            b = asRead(b, rs, col);
        } else if (!wellFormed(b)) {
            b = asRead(b, rs, col);
        }
        if (b == null) {
            raw(NULL);
            return;
        }
        raw((byte) '"');
        for (int i = 0; i < b.length; ) {
            // A block's last character may run up to three bytes past it, six output bytes per input byte.
            ensure(BLOCK * 6 + 24);
            i = escape(b, i, Math.min(i + BLOCK, b.length));
        }
        raw((byte) '"');
    }

    /** The value as the generic exporter reads ill-formed bytes: a String, here as its (well-formed) UTF-8. */
    private static byte[] asRead(byte[] b, ResultSet rs, int col) throws SQLException {
        String s = rs == null ? new String(b, StandardCharsets.UTF_8) : rs.getString(col);
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Escapes {@code b[from..to)} into the buffer at {@code pos} (which has room for it) and returns the index
     * reached: {@code to}, or up to three past it when the last character runs over. Returns -1, the buffer's
     * position untouched, at a byte that is not well-formed UTF-8.
     */
    private int escape(byte[] b, int from, int to) {
        int len = b.length;
        byte[] d = buf;
        int p = pos;
        int i = from;
        while (i < to) {
            // Runs of plain ASCII, eight bytes at a time: most text is copied without a look at each byte.
            while (i + 8 <= to) {
                long w = (long) LONGS.get(b, i);
                if (!plain(w)) break;
                LONGS.set(d, p, w);
                i += 8;
                p += 8;
            }
            // Then byte by byte, to the end of the word that was not plain (or of the block).
            int stop = Math.min(i + 8, to);
            while (i < stop) {
                byte x = b[i];
                if (x >= 0) {
                    int e = ESC[x];
                    if (e == 0) {
                        d[p++] = x;
                    } else if (e > 0) {
                        d[p++] = '\\';
                        d[p++] = (byte) e;
                    } else {
                        d[p++] = '\\';
                        d[p++] = 'u';
                        d[p++] = '0';
                        d[p++] = '0';
                        d[p++] = HEX[x >> 4];
                        d[p++] = HEX[x & 0xF];
                    }
                    i++;
                } else {
                    int l = utf8Len(b, i, len);
                    if (l == 0) return -1;
                    for (int k = 0; k < l; k++) d[p++] = b[i + k];
                    i += l;
                }
            }
        }
        pos = p;
        return i;
    }
}
