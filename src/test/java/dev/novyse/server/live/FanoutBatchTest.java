package dev.novyse.server.live;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import io.socket.client.IO;
import io.socket.client.Socket;
import io.socket.engineio.client.transports.Polling;
import io.socket.engineio.client.transports.WebSocket;
import org.json.JSONObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A burst of messages from four concurrent senders to a chat whose members are on websockets and on long-polling:
 * while events queue up for a sender thread, each socket's frames are written together ({@link FrameBatch}); every
 * member must still get every message exactly once and in id order. (How many frames wait in a batch depends on the
 * machine's speed: FanoutBenchmark measures the effect, this test the guarantees.)
 */
class FanoutBatchTest {
    static final int MEMBERS = 30;
    static final int SENDERS = 4;
    static final int EACH = 60;

    @TempDir
    Path dir;
    NovyseServer server;
    RawApi api;
    final List<Socket> sockets = new ArrayList<>();

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
        api = new RawApi(server.url());
    }

    @AfterEach
    void stop() {
        sockets.forEach(Socket::close);
        server.close();
    }

    @Test
    void aBurstReachesEveryMemberOnceAndInIdOrder() throws Exception {
        RawApi.Account owner = api.signup("owner");
        List<RawApi.Account> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) members.add(api.signup(String.format("member%02d", i)));
        String chat = api.ok(api.post("/chat/create", owner.token(), Map.of("type", "GROUP", "name", "Burst",
                "memberUUIDs", members.stream().map(RawApi.Account::uuid).toList()))).path("chat").path("uuid").asText();
        List<BlockingQueue<Long>> received = new ArrayList<>();
        CountDownLatch connected = new CountDownLatch(MEMBERS);
        for (int i = 0; i < MEMBERS; i++) {
            // Two of the members on long-polling, which never batches: both transports in one fan-out.
            received.add(connect(i < 2 ? Polling.NAME : WebSocket.NAME, members.get(i).token(), connected));
        }
        assertTrue(connected.await(30, TimeUnit.SECONDS), "every member connected");

        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                int sender = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < EACH; i++) {
                        api.ok(api.post("/message", owner.token(), Map.of("chatUUID", chat, "subID", 0,
                                "content", "burst " + sender + " #" + i)));
                    }
                }));
            }
            for (Future<?> f : done) f.get(120, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<Long> expected = LongStream.rangeClosed(1, (long) SENDERS * EACH).boxed().toList();
        for (int m = 0; m < MEMBERS; m++) {
            List<Long> ids = new ArrayList<>();
            for (int i = 0; i < expected.size(); i++) {
                Long id = received.get(m).poll(30, TimeUnit.SECONDS);
                assertNotNull(id, "member " + m + ": message " + (i + 1) + " of " + expected.size() + " never arrived");
                ids.add(id);
            }
            assertEquals(expected, ids, "member " + m + ": ids in arrival order");
        }
        for (BlockingQueue<Long> q : received) assertEquals(null, q.poll(200, TimeUnit.MILLISECONDS), "nothing twice");
    }

    private BlockingQueue<Long> connect(String transport, String token, CountDownLatch connected) {
        IO.Options options = IO.Options.builder().setTransports(new String[]{transport}).setReconnection(false)
                .setAuth(Map.of("token", token)).build();
        Socket socket = IO.socket(URI.create(server.url()), options);
        sockets.add(socket);
        BlockingQueue<Long> ids = new LinkedBlockingQueue<>();
        socket.on(Socket.EVENT_CONNECT, a -> connected.countDown());
        socket.on("message:new", a -> ids.add(new JSONObject(a[0].toString()).getLong("id")));
        socket.connect();
        return ids;
    }
}
