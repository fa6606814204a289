package dev.novyse.server.live;

import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoWebSocket;
import io.socket.engineio.server.utils.ParseQS;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;

/** Adapts a Jetty 12 websocket session to Engine.IO (the published adapter targets Jetty 9). */
public final class JettyEngineIoSocket extends EngineIoWebSocket implements Session.Listener.AutoDemanding {
    private final EngineIoServer server;
    private volatile Session session;
    private Map<String, String> query = Map.of();
    private Map<String, List<String>> headers = Map.of();

    public JettyEngineIoSocket(EngineIoServer server) {
        this.server = server;
    }

    @Override
    public Map<String, String> getQuery() {
        return query;
    }

    @Override
    public Map<String, List<String>> getConnectionHeaders() {
        return headers;
    }

    @Override
    public void write(String message) {
        Session s = session;
        if (s == null) return;
        FrameBatch batch = FrameBatch.current();
        if (batch != null && s instanceof WebSocketSession ws) {
            batch.add(ws.getCoreSession(), new Frame(OpCode.TEXT).setPayload(message));
        } else {
            s.sendText(message, Callback.NOOP);
        }
    }

    @Override
    public void write(byte[] message) {
        Session s = session;
        if (s != null) {
            s.sendBinary(ByteBuffer.wrap(message), Callback.NOOP);
        }
    }

    @Override
    public void close() {
        Session s = session;
        if (s != null) {
            s.close();
        }
    }

    @Override
    public void onWebSocketOpen(Session s) {
        session = s;
        String qs = s.getUpgradeRequest().getQueryString();
        query = qs == null ? Map.of() : ParseQS.decode(qs);
        headers = s.getUpgradeRequest().getHeaders();
        server.handleWebSocket(this);
    }

    @Override
    public void onWebSocketText(String message) {
        emit("message", message);
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        byte[] bytes = new byte[payload.remaining()];
        payload.get(bytes);
        callback.succeed();
        emit("message", (Object) bytes);
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason) {
        emit("close");
        session = null;
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        emit("error", "write error", cause.getMessage());
    }
}
