package dev.novyse.export;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * JSON strings as UTF-8 bytes, escaped as Jackson escapes them with the project's settings: {@code "} {@code \}
 * and control characters are escaped ({@code \b \t \n \f \r}, others backslash-u-00XX upper-case), nothing else;
 * non-ASCII stays UTF-8. Also the checks the JSON Lines export needs on the way: whether bytes are well-formed UTF-8,
 * and whether eight bytes at once need a look at all.
 */
final class JsonBytes {
    private JsonBytes() {}

    static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
    /** 0: copy; -1: backslash-u-00XX; other: the character after the backslash. */
    static final int[] ESC = new int[128];
    /** Eight bytes of a byte[] at once, to skip runs of bytes that need no escaping. */
    static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    static {
        for (int i = 0; i < 0x20; i++) ESC[i] = -1;
        ESC['"'] = '"';
        ESC['\\'] = '\\';
        ESC['\b'] = 'b';
        ESC['\t'] = 't';
        ESC['\n'] = 'n';
        ESC['\f'] = 'f';
        ESC['\r'] = 'r';
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static final byte[] NULL = ascii("null");

    /** A quoted, escaped JSON string of {@code s} as UTF-8. */
    static byte[] quote(String s) {
        return quoteBytes(s.getBytes(StandardCharsets.UTF_8));
    }

    /** A quoted, escaped JSON string of well-formed UTF-8 bytes. */
    static byte[] quoteBytes(byte[] b) {
        byte[] buf = new byte[b.length * 6 + 2];
        int p = 0;
        buf[p++] = '"';
        for (byte x : b) {
            int c = x & 0xFF;
            if (c >= 128 || ESC[c] == 0) {
                buf[p++] = x;
            } else if (ESC[c] > 0) {
                buf[p++] = '\\';
                buf[p++] = (byte) ESC[c];
            } else {
                buf[p++] = '\\';
                buf[p++] = 'u';
                buf[p++] = '0';
                buf[p++] = '0';
                buf[p++] = HEX[c >> 4];
                buf[p++] = HEX[c & 0xF];
            }
        }
        buf[p++] = '"';
        return Arrays.copyOf(buf, p);
    }

    /** Length of the well-formed UTF-8 sequence starting at {@code i} (lead byte >= 0x80), or 0 if ill-formed. */
    static int utf8Len(byte[] b, int i, int end) {
        int c = b[i] & 0xFF;
        if (c < 0xC2) return 0;
        if (c < 0xE0) {
            return i + 1 < end && (b[i + 1] & 0xC0) == 0x80 ? 2 : 0;
        }
        if (c < 0xF0) {
            if (i + 2 >= end) return 0;
            int c1 = b[i + 1] & 0xFF;
            if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80) return 0;
            if (c == 0xE0 && c1 < 0xA0) return 0; // overlong
            if (c == 0xED && c1 >= 0xA0) return 0; // surrogate
            return 3;
        }
        if (c < 0xF5) {
            if (i + 3 >= end) return 0;
            int c1 = b[i + 1] & 0xFF;
            if ((c1 & 0xC0) != 0x80 || (b[i + 2] & 0xC0) != 0x80 || (b[i + 3] & 0xC0) != 0x80) return 0;
            if (c == 0xF0 && c1 < 0x90) return 0; // overlong
            if (c == 0xF4 && c1 >= 0x90) return 0; // > U+10FFFF
            return 4;
        }
        return 0;
    }

    /**
     * True if none of the eight bytes of {@code w} needs a look: no byte below 0x20, none 0x80 or above, no
     * {@code "} and no {@code \}. (Each test is exact about whether any byte matches, which is all that is asked.)
     */
    static boolean plain(long w) {
        long below20 = (w - 0x2020202020202020L) & ~w;
        long q = w ^ 0x2222222222222222L;
        long quote = (q - ONES) & ~q;
        long s = w ^ 0x5C5C5C5C5C5C5C5CL;
        long backslash = (s - ONES) & ~s;
        return ((w | below20 | quote | backslash) & HIGHS) == 0;
    }

    /** True if {@code b} is well-formed UTF-8 throughout. */
    static boolean wellFormed(byte[] b) {
        for (int i = 0; i < b.length; ) {
            if (b[i] >= 0) {
                i++;
            } else {
                int l = utf8Len(b, i, b.length);
                if (l == 0) return false;
                i += l;
            }
        }
        return true;
    }
}
