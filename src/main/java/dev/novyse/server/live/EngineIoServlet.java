package dev.novyse.server.live;

import io.socket.engineio.server.EngineIoServer;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServlet;
import org.eclipse.jetty.ee10.websocket.server.JettyWebSocketServletFactory;

import java.io.IOException;

/**
 * Mounts Engine.IO at {@code /socket.io/*} on the REST port: long-polling requests go to the Engine.IO server,
 * websocket upgrades become a {@link JettyEngineIoSocket}. Public, as Jetty requires of servlet and endpoint classes.
 */
public final class EngineIoServlet extends JettyWebSocketServlet {
    private final transient EngineIoServer engineIo;

    public EngineIoServlet(EngineIoServer engineIo) {
        this.engineIo = engineIo;
    }

    @Override
    protected void configure(JettyWebSocketServletFactory factory) {
        factory.setIdleTimeout(java.time.Duration.ofMinutes(2));
        factory.setCreator((request, response) -> new JettyEngineIoSocket(engineIo));
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        engineIo.handleRequest(req, resp);
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        engineIo.handleRequest(req, resp);
    }

    @Override
    protected void doOptions(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        engineIo.handleRequest(req, resp);
    }
}
