package dev.novyse.server.live;

import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoSocket;
import io.socket.engineio.server.utils.ParseQS;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Mounts Engine.IO at {@code /socket.io/*} on the REST port: long-polling requests go to the Engine.IO server,
 * websocket upgrades become a {@link JettyEngineIoSocket}. Public, as Jetty requires of servlet and endpoint classes.
 *
 * <p>Two races of engine.io-server 6.3.2's long-polling, which a single-threaded Node server cannot have and which
 * the reference JavaScript client runs into, are closed here rather than in the library:
 * <ul>
 *   <li>The library answers a handshake before it registers the session and announces the connection, so a quick
 *   client's next request could be told "Session ID unknown" or its Socket.IO CONNECT could reach no listener.
 *   A handshake's reply is therefore held back until the library is done with the request.</li>
 *   <li>A poll (GET) that looks its session up just before a POST carrying the client's close packet closes it gets
 *   parked on the closed transport, where nothing answers it until the three-minute async timeout. Requests of one
 *   session are therefore handled one at a time: a poll is either parked before the close (which answers it with a
 *   noop) or finds the session gone ("Session ID unknown").</li>
 * </ul>
 */
public final class EngineIoServlet extends JettyWebSocketServlet {
    private final transient EngineIoServer engineIo;
    /** One lock per open Engine.IO session, by sid; entries live exactly as long as their session. */
    private final transient Map<String, Object> sessions = new ConcurrentHashMap<>();

    public EngineIoServlet(EngineIoServer engineIo) {
        this.engineIo = engineIo;
        engineIo.on("connection", args -> {
            EngineIoSocket socket = (EngineIoSocket) args[0];
            String sid = socket.getId();
            sessions.put(sid, new Object());
            socket.on("close", a -> sessions.remove(sid));
        });
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(java.time.Duration.ofMinutes(2));
        factory.setCreator((request, response) -> new JettyEngineIoSocket(engineIo));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        polling(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        polling(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        polling(req, resp);
    }

    private void polling(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String query = req.getQueryString();
        String sid = query == null ? null : ParseQS.decode(query).get("sid");
        if (sid == null) {
            HeldResponse held = new HeldResponse(resp);
            try {
                engineIo.handleRequest(req, held);
            } finally {
                held.release();
            }
            return;
        }
        Object lock = sessions.get(sid);
        if (lock == null) {
            engineIo.handleRequest(req, resp); // no such session (any more): the library says so
            return;
        }
        synchronized (lock) {
            engineIo.handleRequest(req, resp);
        }
    }

    /**
     * A response whose body is kept in memory until {@link #release()}, then written through; headers and status go
     * straight to the real response. Anything written after the release (a handshake poll the library parked
     * instead of answering) goes straight through too.
     */
    private static final class HeldResponse extends HttpServletResponseWrapper {
        private final ByteArrayOutputStream body = new ByteArrayOutputStream();
        private boolean held = true;
        private ServletOutputStream stream;
        private PrintWriter writer;

        HeldResponse(HttpServletResponse response) {
            super(response);
        }

        synchronized void release() throws IOException {
            if (writer != null) {
                writer.flush();
            }
            held = false;
            if (body.size() > 0) {
                getResponse().getOutputStream().write(body.toByteArray());
                body.reset();
            }
        }

        private synchronized void write(byte[] b, int off, int len) throws IOException {
            if (held) {
                body.write(b, off, len);
            } else {
                getResponse().getOutputStream().write(b, off, len);
            }
        }

        @Override
        public synchronized ServletOutputStream getOutputStream() {
            if (stream == null) {
                stream = new ServletOutputStream() {
                    @Override
                    public void write(int b) throws IOException {
                        HeldResponse.this.write(new byte[]{(byte) b}, 0, 1);
                    }

                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        HeldResponse.this.write(b, off, len);
                    }

                    @Override
                    public void close() throws IOException {
                        synchronized (HeldResponse.this) {
                            if (!held) {
                                getResponse().getOutputStream().close();
                            }
                        }
                    }

                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener listener) {
                        throw new UnsupportedOperationException("blocking writes only");
                    }
                };
            }
            return stream;
        }

        @Override
        public synchronized PrintWriter getWriter() {
            if (writer == null) {
                String encoding = getCharacterEncoding();
                writer = new PrintWriter(new OutputStreamWriter(getOutputStream(),
                        encoding == null ? java.nio.charset.StandardCharsets.UTF_8 : Charset.forName(encoding)));
            }
            return writer;
        }

        @Override
        public void flushBuffer() throws IOException {
            synchronized (this) {
                if (held) {
                    return; // committing now would send the headers ahead of the held body
                }
            }
            super.flushBuffer();
        }
    }
}
