package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of the server that understands just enough of a websocket to lose or repeat
 * live events on purpose, the sibling of {@code e2e.FaultProxy} (which breaks HTTP requests).
 *
 * <p>Plain HTTP connections (REST, long-polling) are relayed byte for byte both ways. A websocket upgrade is relayed
 * too, minus any {@code Sec-WebSocket-Extensions} offer (so no frame is compressed); after the server's 101 the
 * client's frames are relayed untouched, and the server's frames (unmasked, RFC 6455 §5.2) are read one by one.
 * Control frames pass at once; each data message (a frame and its continuations) is decoded: an Engine.IO message
 * packet {@code 4} carrying a Socket.IO event packet {@code 2} in the main namespace ({@code 42[...]}) is handed to
 * the {@link Policy} when its event is {@code message:new} or {@code message:update}, which may drop it or send it
 * twice. Everything else (pings, the connect reply, other events) passes.
 *
 * <p>{@link #offline(boolean)}: the network goes away. Every relayed connection is reset and new ones are reset as
 * soon as they are accepted, until it comes back.
 */
final class FrameFaultProxy implements AutoCloseable {
    /** HOLD: the event, and everything after it on that connection, waits until {@link #release()}. */
    enum Action { PASS, DROP, DUPLICATE, HOLD }

    /** Decides the fate of one {@code message:new} / {@code message:update} event on its way to the client. */
    interface Policy {
        Action decide(String event, JsonNode payload);
    }

    /** What was done to one event frame, for assertions and failure messages. */
    record Fault(Action action, String event, String summary) {
        @Override
        public String toString() {
            return action + " " + event + " " + summary;
        }
    }

    private static final Set<String> INSPECTED = Set.of("message:new", "message:update");

    private final ServerSocket listener;
    private final int upstreamPort;
    private final Policy policy;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean offline;
    final AtomicInteger upgrades = new AtomicInteger();
    private final java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
    /** Data messages relayed once, unchanged (control frames are not counted). */
    final AtomicInteger passed = new AtomicInteger();
    final List<Fault> faults = new CopyOnWriteArrayList<>();

    FrameFaultProxy(int upstreamPort, Policy policy) throws IOException {
        this.upstreamPort = upstreamPort;
        this.policy = policy;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "frame-fault-proxy");
        t.setDaemon(true);
        t.start();
    }

    String url() {
        return "http://127.0.0.1:" + listener.getLocalPort();
    }

    long count(Action action, String event) {
        return faults.stream().filter(f -> f.action() == action && f.event().equals(event)).count();
    }

    /** Cuts the network ({@code true}: resets every connection, and each new one) or restores it. */
    void offline(boolean off) {
        offline = off;
        if (off) {
            for (Socket s : open) reset(s);
        }
    }

    private static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    private void acceptLoop() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (offline) {
                    reset(client);
                    continue;
                }
                Thread t = new Thread(() -> handle(client), "frame-fault-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket client) {
        open.add(client);
        try (client; Socket up = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
            open.add(up);
            if (offline) return; // the network went away while this connection was being set up
            InputStream fromClient = client.getInputStream();
            OutputStream toServer = up.getOutputStream();
            String head = readHead(fromClient);
            boolean websocket = head.toLowerCase(Locale.ROOT).contains("\r\nupgrade: websocket");
            toServer.write(rewrite(head, websocket).getBytes(StandardCharsets.ISO_8859_1));
            toServer.flush();
            Thread pump = new Thread(() -> relay(fromClient, toServer, up), "frame-fault-proxy-up");
            pump.setDaemon(true);
            pump.start();
            InputStream fromServer = up.getInputStream();
            OutputStream toClient = client.getOutputStream();
            if (!websocket) {
                fromServer.transferTo(toClient);
                return;
            }
            String reply = readHead(fromServer);
            toClient.write(reply.getBytes(StandardCharsets.ISO_8859_1));
            toClient.flush();
            if (!reply.startsWith("HTTP/1.1 101")) {
                fromServer.transferTo(toClient);
                return;
            }
            upgrades.incrementAndGet();
            frames(fromServer, toClient);
        } catch (IOException e) {
            // a broken connection ends the relay; the other side sees it as a reset or an end of stream
        } finally {
            open.remove(client);
        }
    }

    /** Client to server, untouched (client frames are masked; nothing here needs to read them). */
    private void relay(InputStream in, OutputStream out, Socket up) {
        try {
            in.transferTo(out);
            up.shutdownOutput();
        } catch (IOException e) {
            // the connection is gone
        } finally {
            open.remove(up);
        }
    }

    /** The request or status line and the headers, up to and including the blank line. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int b = in.read();
            if (b < 0) throw new EOFException("closed before a full head");
            head.write(b);
            state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1
                    : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Drops a compression offer from an upgrade so that the server's frames stay plain text. */
    private static String rewrite(String head, boolean websocket) {
        if (!websocket) return head;
        StringBuilder out = new StringBuilder();
        for (String line : head.split("\r\n")) {
            if (line.isEmpty() || line.toLowerCase(Locale.ROOT).startsWith("sec-websocket-extensions:")) continue;
            out.append(line).append("\r\n");
        }
        return out.append("\r\n").toString();
    }

    /** Server to client, frame by frame; whole data messages go through {@link #decide}. */
    private void frames(InputStream in, OutputStream out) throws IOException {
        ByteArrayOutputStream message = new ByteArrayOutputStream(); // raw frames of the message being read
        ByteArrayOutputStream text = new ByteArrayOutputStream(); // its unmasked payload
        while (true) {
            int b0 = in.read();
            if (b0 < 0) return;
            int b1 = readByte(in);
            boolean fin = (b0 & 0x80) != 0;
            int opcode = b0 & 0x0F;
            boolean masked = (b1 & 0x80) != 0;
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            raw.write(b0);
            raw.write(b1);
            long length = b1 & 0x7F;
            if (length == 126) {
                byte[] ext = readN(in, 2);
                raw.write(ext);
                length = ((ext[0] & 0xFFL) << 8) | (ext[1] & 0xFFL);
            } else if (length == 127) {
                byte[] ext = readN(in, 8);
                raw.write(ext);
                length = 0;
                for (byte x : ext) length = (length << 8) | (x & 0xFFL);
            }
            byte[] mask = masked ? readN(in, 4) : null;
            if (mask != null) raw.write(mask);
            if (length > 16 * 1024 * 1024) throw new IOException("frame too large for this proxy: " + length);
            byte[] payload = readN(in, (int) length);
            raw.write(payload);
            if (opcode >= 8) { // ping, pong, close: never part of a message, never touched
                out.write(raw.toByteArray());
                out.flush();
                continue;
            }
            if (mask != null) {
                for (int i = 0; i < payload.length; i++) payload[i] ^= mask[i % 4];
            }
            message.write(raw.toByteArray());
            text.write(payload);
            if (!fin) continue;
            byte[] frames = message.toByteArray();
            Action action = opcode == 1 || opcode == 0 ? decide(text.toString(StandardCharsets.UTF_8)) : Action.PASS;
            message.reset();
            text.reset();
            if (action == Action.HOLD) awaitRelease();
            int copies = switch (action) {
                case DROP -> 0;
                case DUPLICATE -> 2;
                case PASS, HOLD -> 1;
            };
            for (int i = 0; i < copies; i++) out.write(frames);
            out.flush();
        }
    }

    /** Lets held events through, and every later one at once. */
    void release() {
        held.countDown();
    }

    private void awaitRelease() throws IOException {
        try {
            if (!held.await(60, java.util.concurrent.TimeUnit.SECONDS)) throw new IOException("held event never released");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while holding an event");
        }
    }

    /** {@code 42[event, payload]} (Engine.IO message, Socket.IO event, main namespace, no ack id) of an inspected kind. */
    private Action decide(String text) {
        if (!text.startsWith("42[")) {
            passed.incrementAndGet();
            return Action.PASS;
        }
        JsonNode array;
        try {
            array = Json.mapper().readTree(text.substring(2));
        } catch (IOException e) {
            passed.incrementAndGet();
            return Action.PASS;
        }
        String event = array.path(0).asText("");
        if (!INSPECTED.contains(event)) {
            passed.incrementAndGet();
            return Action.PASS;
        }
        JsonNode payload = array.path(1);
        Action action = policy.decide(event, payload);
        if (action == Action.PASS) {
            passed.incrementAndGet();
        } else {
            faults.add(new Fault(action, event, summary(event, payload)));
        }
        return action;
    }

    static String summary(String event, JsonNode p) {
        String where = p.path("chatUUID").asText("?").substring(0, Math.min(8, p.path("chatUUID").asText("?").length()))
                + "/" + p.path("subID").asText("?");
        return event.equals("message:new") ? where + " id=" + p.path("id").asText()
                : where + " msg=" + p.path("messageID").asText() + " " + p.path("action").asText() + " chatEventID="
                + p.path("chatEventID").asText();
    }

    private static int readByte(InputStream in) throws IOException {
        int b = in.read();
        if (b < 0) throw new EOFException("cut inside a frame");
        return b;
    }

    private static byte[] readN(InputStream in, int n) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length != n) throw new EOFException("cut inside a frame");
        return b;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket s : open) reset(s);
    }
}
