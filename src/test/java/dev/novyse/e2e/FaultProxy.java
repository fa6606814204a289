package dev.novyse.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the server that can break connections. One request per connection
 * ({@code Connection: close} is forced), so each mode acts on exactly the requests that follow it.
 */
final class FaultProxy implements AutoCloseable {
    enum Mode {
        /** Relay both ways. */
        PASS,
        /** Read the request, close the connection without forwarding it: the server never sees it. */
        CUT_BEFORE_FORWARD,
        /** Forward the request, wait for the server's reply to start, then close without relaying it. */
        CUT_AFTER_FORWARD,
        /** Forward the request, then hold the connection open and relay nothing (a client timeout). */
        STALL,
        /** Forward the headers and half the body, then reset both sides: an upload cut midway. */
        CUT_BODY_MIDWAY
    }

    private final ServerSocket socket;
    private final int upstreamPort;
    private volatile Mode mode = Mode.PASS;
    /** When set, only requests whose request line starts with it get the mode; others pass. */
    private volatile String only;
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger forwarded = new AtomicInteger();
    final AtomicInteger cut = new AtomicInteger();
    /** Replies the server began to a {@link Mode#STALL}ed request (it had handled it) that were never relayed. */
    final AtomicInteger stalledReplies = new AtomicInteger();

    FaultProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "fault-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    void mode(Mode m) {
        mode(m, null);
    }

    /** {@code m} for requests whose request line starts with {@code requestLinePrefix} (e.g. "PUT "); others pass. */
    void mode(Mode m, String requestLinePrefix) {
        only = requestLinePrefix;
        mode = m;
    }

    private void acceptLoop() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread t = new Thread(() -> handle(client), "fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Reads one HTTP/1.1 request (headers and a Content-Length body), rewriting it to Connection: close. */
    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new IOException("client closed before a full request");
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : (b == '\r' ? 1 : 0);
        }
        String headers = head.toString(StandardCharsets.ISO_8859_1);
        int length = 0;
        StringBuilder rewritten = new StringBuilder();
        for (String line : headers.split("\r\n")) {
            if (line.isEmpty()) continue;
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) length = Integer.parseInt(line.substring(15).trim());
            if (lower.startsWith("connection:") || lower.startsWith("upgrade:") || lower.startsWith("http2-settings:")) continue;
            rewritten.append(line).append("\r\n");
        }
        rewritten.append("Connection: close\r\n\r\n");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(rewritten.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(in.readNBytes(length));
        return out.toByteArray();
    }

    private static int headerEnd(byte[] request) {
        for (int i = 3; i < request.length; i++) {
            if (request[i - 3] == '\r' && request[i - 2] == '\n' && request[i - 1] == '\r' && request[i] == '\n') {
                return i + 1;
            }
        }
        return request.length;
    }

    private void handle(Socket client) {
        try (client) {
            byte[] request = readRequest(client.getInputStream());
            String prefix = only;
            Mode m = prefix == null || new String(request, 0, Math.min(request.length, 200), StandardCharsets.ISO_8859_1)
                    .startsWith(prefix) ? mode : Mode.PASS;
            requests.incrementAndGet();
            if (m == Mode.CUT_BEFORE_FORWARD) return;
            try (Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                if (m == Mode.CUT_BODY_MIDWAY) {
                    int headEnd = headerEnd(request);
                    up.getOutputStream().write(request, 0, headEnd + (request.length - headEnd) / 2);
                    up.getOutputStream().flush();
                    Thread.sleep(200); // let the server take in what came
                    up.setSoLinger(true, 0);
                    client.setSoLinger(true, 0);
                    cut.incrementAndGet();
                    return;
                }
                up.getOutputStream().write(request);
                up.getOutputStream().flush();
                forwarded.incrementAndGet();
                InputStream fromServer = up.getInputStream();
                if (m == Mode.CUT_AFTER_FORWARD) {
                    fromServer.read(); // the reply has started: the server handled the request
                    client.setSoLinger(true, 0); // a reset, not a clean end of stream
                    return;
                }
                if (m == Mode.STALL) {
                    if (fromServer.read() >= 0) stalledReplies.incrementAndGet();
                    Thread.sleep(30_000);
                    return;
                }
                OutputStream toClient = client.getOutputStream();
                fromServer.transferTo(toClient);
                toClient.flush();
            }
        } catch (IOException | InterruptedException e) {
            // a broken connection is what this proxy is for
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
