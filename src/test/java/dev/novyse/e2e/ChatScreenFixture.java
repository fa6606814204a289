package dev.novyse.e2e;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the chat-screen tests in tmux share: a real server on loopback with its API, {@code alice} signed up there
 * and signed in through the CLI into {@code dir/data} as a person does, a tmux window that reports the screen's
 * log when an await fails, and the tidy-up. The scenario (other people, chats, messages) is each test's own.
 */
final class ChatScreenFixture implements AutoCloseable {
    final Path dir;
    NovyseServer server;
    final RawApi api;
    final RawApi.Account alice;
    private Tmux tmux;
    private boolean serverStopped;
    private int stoppedPort;

    ChatScreenFixture(Path dir) {
        this.dir = dir;
        this.server = TestServer.start(dir.resolve("server"));
        this.api = new RawApi(server.url());
        this.alice = api.signup("alice");
    }

    /** Alice's data directory (the screen's {@code --data-dir}). */
    Path data() {
        return dir.resolve("data");
    }

    /** {@code novyse login alice} into {@link #data()}; fails the test unless it exits 0. */
    void login() {
        E2e.Run login = E2e.cli(E2e.PASSWORD + "\n", "--data-dir", data().toString(), "--server", server.url(),
                "login", "alice");
        assertEquals(0, login.code(), login.toString());
    }

    /** The tmux window, {@code cols} x {@code rows}, running a shell in {@link #dir}. */
    Tmux terminal(int cols, int rows) throws Exception {
        tmux = new Tmux(dir, cols, rows, this::tuiLog);
        return tmux;
    }

    /** The command line that opens alice's chat screen from the test class path. */
    String launcher() throws Exception {
        return Tmux.launcher(dir, "--data-dir", data().toString()).toString();
    }

    /** The server goes away, as when the network does; {@link #close} then leaves it. */
    void stopServer() {
        serverStopped = true;
        stoppedPort = server.port();
        server.close();
    }

    /** The server stopped by {@link #stopServer} comes back on its port, with its data. */
    void restartServer() {
        server = TestServer.start(dir.resolve("server"), stoppedPort);
        serverStopped = false;
    }

    /**
     * The first column of the first row the server's database answers {@code sql} with (null when no row): what the
     * screen's action left on the server, read as the tests read it, beside the server.
     */
    Object serverValue(String sql, Object... args) throws Exception {
        try (java.sql.Connection c = Projection.open(dir.resolve("server").resolve("server.db"));
             java.sql.PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) st.setObject(i + 1, args[i]);
            try (java.sql.ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getObject(1) : null;
            }
        }
    }

    /** {@link #serverValue} of a count. */
    long serverCount(String sql, Object... args) throws Exception {
        Object v = serverValue(sql, args);
        return v == null ? 0 : ((Number) v).longValue();
    }

    /** A condition on the server's state the screen's action brings about: waits up to 30 s for it, else fails with the screen. */
    void awaitServer(String what, ServerCondition done) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!done.holds() && System.nanoTime() < deadline) Thread.sleep(50);
        org.junit.jupiter.api.Assertions.assertTrue(done.holds(), what + " on the server\n" + (tmux == null ? "" : tmux.screen()));
    }

    @FunctionalInterface
    interface ServerCondition {
        boolean holds() throws Exception;
    }

    /** The contents of a chat's main-channel messages on the server, oldest first (read as alice, a member). */
    java.util.List<String> stored(String chatUUID) {
        com.fasterxml.jackson.databind.JsonNode messages = api.ok(api.send("GET", "/message/history?chatUUID=" + chatUUID
                + "&subID=0&limit=100", alice.token(), (String) null)).path("messages");
        return java.util.stream.StreamSupport.stream(messages.spliterator(), false)
                .map(m -> m.path("content").asText()).toList();
    }

    /** Waits until the server holds {@code count} messages in the chat; returns the newest one's content. */
    String awaitStored(String chatUUID, int count) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        java.util.List<String> s = stored(chatUUID);
        while (s.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            s = stored(chatUUID);
        }
        assertEquals(count, s.size(), "messages stored: " + s + "\n" + (tmux == null ? "" : tmux.screen()));
        return s.get(count - 1);
    }

    /** The chat screen's log, for a failure message. */
    String tuiLog() {
        try (var s = Files.walk(data())) {
            StringBuilder b = new StringBuilder("tui.log: ");
            for (Path l : s.filter(p -> p.getFileName().toString().equals("tui.log")).toList()) b.append(Files.readString(l));
            return b.toString();
        } catch (Exception e) {
            return "tui.log: " + e;
        }
    }

    @Override
    public void close() throws Exception {
        try {
            if (tmux != null) tmux.close();
        } finally {
            if (!serverStopped) server.close();
        }
    }
}
