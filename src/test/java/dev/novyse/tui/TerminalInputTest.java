package dev.novyse.tui;

import com.googlecode.lanterna.input.InputDecoder;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Terminal bytes through {@link TerminalInput} and Lanterna's decoder with {@link InputPatterns}, as the TUI reads keys. */
class TerminalInputTest {
    private record Decoded(List<KeyStroke> keys, TerminalInput input) {}

    private static Decoded decode(InputStream bytes) throws IOException {
        TerminalInput input = new TerminalInput(bytes);
        InputDecoder decoder = new InputDecoder(new InputStreamReader(input, StandardCharsets.UTF_8));
        decoder.addProfile(new InputPatterns()); // what Utf8UnixTerminal gives Lanterna instead of its default
        List<KeyStroke> keys = new ArrayList<>();
        for (KeyStroke k; (k = decoder.getNextCharacter(true)) != null && k.getKeyType() != KeyType.EOF; ) keys.add(k);
        return new Decoded(keys, input);
    }

    private static Decoded decode(String bytes) throws IOException {
        return decode(new ByteArrayInputStream(bytes.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void enterCtrlJAndAltEnterAreDifferentKeys() throws IOException {
        List<KeyStroke> keys = decode("a\rb\nc\033\rd\033\n").keys(); // as fast as a paste: all in one read
        assertEquals(List.of(new KeyStroke('a', false, false), new KeyStroke(KeyType.Enter),
                new KeyStroke('b', false, false), new KeyStroke('j', true, false),
                new KeyStroke('c', false, false), new KeyStroke(KeyType.Enter, false, true),
                new KeyStroke('d', false, false), new KeyStroke(KeyType.Enter, false, true)), keys);
    }

    @Test
    void aBracketedPasteIsOneKeyWithItsTextWholeAndCleaned() throws IOException {
        Decoded d = decode("x\033[200~line one\r\nline 🎉 two\rthree\033[D\007\033[201~y");
        assertEquals(3, d.keys().size(), d.keys().toString());
        assertEquals(new KeyStroke('x', false, false), d.keys().get(0));
        assertSame(InputPatterns.PASTE, d.keys().get(1));
        assertEquals(new KeyStroke('y', false, false), d.keys().get(2));
        assertEquals("line one\nline 🎉 two\nthree[D", d.input().takePaste());
        assertNull(d.input().takePaste());
    }

    @Test
    void aPasteWhoseEndComesLaterAndIsCutInHalfStaysOnePaste() throws Exception {
        PipedOutputStream w = new PipedOutputStream();
        PipedInputStream r = new PipedInputStream(w, 1 << 16);
        Thread writer = new Thread(() -> {
            try {
                // Pauses longer than Lanterna's quarter-second escape timeout, as a long paste over SSH can have.
                for (String part : List.of("\033[200~first\r", "\nsecond\033[2", "01~", "z")) {
                    w.write(part.getBytes(StandardCharsets.UTF_8));
                    w.flush();
                    Thread.sleep(300);
                }
                w.close();
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        });
        writer.start();
        Decoded d = decode(r);
        writer.join();
        assertEquals(List.of(InputPatterns.PASTE, new KeyStroke('z', false, false)), d.keys());
        assertEquals("first\nsecond", d.input().takePaste());
    }

    @Test
    void markersCutAcrossReadsWhoseRestIsAlreadyThereAreStillFound() throws IOException {
        byte[] bytes = "ab\033[200~one\ntwo\033[201~cd".getBytes(StandardCharsets.UTF_8);
        InputStream threeAtATime = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 3));
            }
        };
        Decoded d = decode(threeAtATime);
        assertEquals(List.of(new KeyStroke('a', false, false), new KeyStroke('b', false, false), InputPatterns.PASTE,
                new KeyStroke('c', false, false), new KeyStroke('d', false, false)), d.keys());
        assertEquals("one\ntwo", d.input().takePaste());
    }

    @Test
    void aLoneEscapeAndArrowKeysStillArrive() throws IOException {
        List<KeyStroke> keys = decode("\033[A\033[1;3Dq").keys();
        assertEquals(KeyType.ArrowUp, keys.get(0).getKeyType());
        assertEquals(KeyType.ArrowLeft, keys.get(1).getKeyType());
        assertTrue(keys.get(1).isAltDown());
        assertEquals(new KeyStroke('q', false, false), keys.get(2));
    }
}
