package dev.novyse.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 to one or more targets, taken in turn for each new connection (a round-robin load
 * balancer in front of several servers, passing over one that refuses connections, or a network path to a
 * database). {@link #offline(boolean)}: the path goes
 * away — every relayed connection is reset and new ones are reset as soon as they are accepted — until it comes back.
 * A real TCP peer: whatever sits on either side sees only what a broken network shows it.
 */
public final class TcpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Integer> targets;
    private final AtomicInteger next = new AtomicInteger();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    /** Relayed connections open now, by target port. */
    private final Map<Integer, Set<Socket>> byTarget = new ConcurrentHashMap<>();
    private volatile boolean offline;
    private volatile boolean closed;

    public TcpRelay(List<Integer> targetPorts) throws IOException {
        this.targets = List.copyOf(targetPorts);
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::acceptLoop, "tcp-relay-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Takes the path away (resetting every relayed connection) or brings it back. */
    public void offline(boolean away) {
        offline = away;
        if (away) {
            for (Socket s : open) reset(s);
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return;
            }
            if (offline) {
                reset(client);
                continue;
            }
            // The next target in turn; one that refuses the connection is passed over for the one after it, as a
            // load balancer does (nginx's proxy_next_upstream on a connect error), so a dead process costs a client
            // nothing it had not sent yet. Only when every target is down does the client see its connection end.
            int first = Math.floorMod(next.getAndIncrement(), targets.size());
            int target = -1;
            Socket upstream = null;
            for (int i = 0; i < targets.size() && upstream == null; i++) {
                target = targets.get((first + i) % targets.size());
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException down) {
                    // the next one
                }
            }
            if (upstream == null) {
                reset(client);
                continue;
            }
            open.add(client);
            open.add(upstream);
            byTarget.computeIfAbsent(target, t -> ConcurrentHashMap.newKeySet()).add(upstream);
            pump(client, upstream);
            pump(upstream, client);
        }
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[16 * 1024];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    out.write(buf, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // either side went away: the other is ended below
            } finally {
                reset(from);
                reset(to);
            }
        }, "tcp-relay-pump");
        t.setDaemon(true);
        t.start();
    }

    /** How many relayed connections to {@code targetPort} are open now. */
    public int openTo(int targetPort) {
        return byTarget.getOrDefault(targetPort, Set.of()).size();
    }

    private void reset(Socket s) {
        open.remove(s);
        byTarget.values().forEach(set -> set.remove(s));
        try {
            s.setSoLinger(true, 0); // RST, not FIN: a cut cable rather than a polite close
            s.close();
        } catch (IOException ignored) {
            // already gone
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.close();
        for (Socket s : open) reset(s);
    }
}
