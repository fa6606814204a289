package dev.novyse.server;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A client that writes the whole body before reading (Python's urllib does) gets the 413 for a 3 MiB body, not a
 * broken pipe: the server reads (drains) the refused body before it answers and closes.
 */
class LargeBodyTest {
    @TempDir
    Path dir;

    @Test
    void aTooLargeBodyWrittenFirstGetsThe413() throws Exception {
        try (NovyseServer server = TestServer.start(dir)) {
            URI uri = URI.create(server.url());
            String token = new RawApi(server.url()).signup("writer").token();
            byte[] body = new byte[3 << 20];
            Arrays.fill(body, (byte) 'x');
            body[0] = '{';
            try (Socket s = new Socket(uri.getHost(), uri.getPort())) {
                s.setSoTimeout(60_000);
                OutputStream out = s.getOutputStream();
                out.write(("POST /message HTTP/1.1\r\nHost: " + uri.getAuthority() + "\r\nContent-Type: application/json"
                        + "\r\nAuthorization: Bearer " + token + "\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(body); // all of it, before reading a byte: throws "broken pipe" if the server hung up
                out.flush();
                InputStream in = s.getInputStream();
                String reply = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                assertTrue(reply.startsWith("HTTP/1.1 413"), reply.lines().findFirst().orElse(reply));
                assertTrue(reply.contains("PAYLOAD_TOO_LARGE"), reply);
            }
        }
    }
}
