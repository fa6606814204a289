package dev.novyse.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.PendingMessage;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.TokenProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 5 (docs/architecture.md#invariant-5)
 * across a broken network: a fault-injecting TCP proxy cuts the first delivery of an outbox entry
 * before or after the server handled it; the retry of the same entry through a healthy path leaves exactly one
 * message on the server, exactly one in the local store, and no outbox row.
 */
class RetriedSendE2eTest {
    @TempDir
    Path dir;
    NovyseServer server;
    FaultProxy proxy;
    RawApi api;
    E2e.As alice;
    E2e.As bob;
    String chat;
    E2e.Client client;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir.resolve("server"));
        proxy = new FaultProxy(server.port());
        api = new RawApi(server.url());
        alice = new E2e.As(api, api.signup("alice"));
        bob = new E2e.As(api, api.signup("bob"));
        chat = alice.createChat("GROUP", "Retries", null, bob.uuid());
        bob.send(chat, 0, "before");
        client = new E2e.Client(server.url(), alice.who().token(), dir.resolve("alice.db"), 7);
        client.sync();
    }

    @AfterEach
    void tearDown() throws Exception {
        client.close();
        proxy.close();
        server.close();
    }

    ApiClient viaProxy(Duration timeout) {
        return new ApiClient(URI.create(proxy.url()), TokenProvider.fixed(alice.who().token()), timeout);
    }

    /** Messages on the server (a fresh initialize of alice) with this content. */
    long onServer(String content) {
        JsonNode init = Projection.initializeJson(server.url(), alice.who().token());
        long n = 0;
        for (JsonNode m : init.path("messages")) if (content.equals(m.path("content").asText(null))) n++;
        return n;
    }

    long locally(String content) {
        return Projection.scalar(client.file, "SELECT COUNT(*) FROM message WHERE content = '" + content.replace("'", "''") + "'");
    }

    void assertExactlyOnce(String content) {
        assertEquals(1, onServer(content), "messages on the server");
        assertEquals(1, locally(content), "messages in the local store");
        assertEquals(List.of(), client.db.outbox(), "outbox rows left");
        client.sync();
        assertEquals(1, locally(content), "messages in the local store after a sync");
        Projection.assertSame(Projection.server(server.url(), alice.who().token()), client.projection(), "after the retry");
    }

    private String firstAttemptFails(FaultProxy.Mode mode, Duration timeout, String content) {
        proxy.mode(mode);
        OutboxSender broken = new OutboxSender(viaProxy(timeout), client.db);
        String tempId = broken.enqueue(chat, 0, content, null);
        OutboxSender.Result first = broken.deliver(tempId);
        assertEquals(OutboxSender.State.QUEUED, first.state(), "first attempt through a " + mode + " proxy: " + first);
        List<PendingMessage> pending = client.db.pending();
        assertEquals(1, pending.size());
        assertEquals(tempId, pending.get(0).tempId());
        assertEquals(1, pending.get(0).attempts());
        assertEquals(0, locally(content), "a queued message must not be in the message table");
        return tempId;
    }

    @Test
    void aMessageSentOnceTheServerIsBackGoesAfterTheOnesThatWaitedInItsChat() {
        String other = alice.createChat("GROUP", "Elsewhere", null, bob.uuid());
        client.sync();
        String first = firstAttemptFails(FaultProxy.Mode.CUT_BEFORE_FORWARD, Duration.ofSeconds(10), "queued first");
        OutboxSender sender = new OutboxSender(viaProxy(Duration.ofSeconds(10)), client.db);
        String elsewhere = sender.enqueue(other, 0, "queued in another chat", null);
        // Still unreachable: the new one stays queued behind the first, not sent past it.
        String second = sender.enqueue(chat, 0, "typed after", null);
        assertEquals(OutboxSender.State.QUEUED, sender.deliver(second).state());
        assertEquals(0, onServer("typed after"));

        proxy.mode(FaultProxy.Mode.PASS);
        String third = sender.enqueue(chat, 0, "typed once back", null);
        OutboxSender.Result r = sender.deliver(third);
        assertEquals(OutboxSender.State.DELIVERED, r.state(), r.toString());
        List<String> order = new ArrayList<>();
        for (JsonNode m : api.ok(api.get("/message/history?chatUUID=" + chat + "&subID=0", bob.who().token())).path("messages")) {
            order.add(m.path("id").asLong() + " " + m.path("content").asText());
        }
        order.sort(java.util.Comparator.comparingLong(l -> Long.parseLong(l.substring(0, l.indexOf(' ')))));
        assertEquals(List.of("1 before", "2 queued first", "3 typed after", "4 typed once back"), order,
                "the chat's queued messages went first, in the order they were written");
        assertEquals(0, onServer("queued in another chat"), "another chat's outbox waits for its own turn (the flush)");
        assertEquals(List.of(elsewhere), client.db.pending().stream().map(PendingMessage::tempId).toList());
        assertEquals(1, onServer("queued first"), first);
    }

    @Test
    void cutBeforeTheServerSawItThenRetried() {
        String content = "cut before, \"retried\" 🎉";
        String tempId = firstAttemptFails(FaultProxy.Mode.CUT_BEFORE_FORWARD, Duration.ofSeconds(10), content);
        assertEquals(0, proxy.forwarded.get(), "the proxy forwarded the request");
        assertEquals(0, onServer(content));
        OutboxSender.Result retry = new OutboxSender(client.api, client.db).deliver(tempId);
        assertEquals(OutboxSender.State.DELIVERED, retry.state(), retry.toString());
        assertExactlyOnce(content);
    }

    @Test
    void cutAfterTheServerStoredItThenRetried() {
        String content = "cut after the server stored it";
        String tempId = firstAttemptFails(FaultProxy.Mode.CUT_AFTER_FORWARD, Duration.ofSeconds(10), content);
        assertTrue(proxy.forwarded.get() >= 1, "the proxy did not forward the request");
        assertEquals(1, onServer(content), "the server handled the first attempt");
        OutboxSender.Result retry = new OutboxSender(client.api, client.db).deliver(tempId);
        assertEquals(OutboxSender.State.DELIVERED, retry.state(), retry.toString());
        assertEquals(2L, retry.messageId(), "the retry must return the first message (id 2), not a new one");
        assertExactlyOnce(content);
    }

    @Test
    void timedOutWhileTheServerStoredItThenFlushed() throws Exception {
        String content = "timed out, then flushed";
        firstAttemptFails(FaultProxy.Mode.STALL, Duration.ofSeconds(1), content);
        // The client gave up after a second; the server may take longer on a busy machine: its reply is the sign.
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (proxy.stalledReplies.get() == 0 && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(1, onServer(content));
        assertEquals(1, new OutboxSender(client.api, client.db).flush());
        assertExactlyOnce(content);
    }

    @Test
    void cutAfterTheServerStoredItThenASyncDeliversItInsteadOfARetry() {
        String content = "cut after, then a sync";
        firstAttemptFails(FaultProxy.Mode.CUT_AFTER_FORWARD, Duration.ofSeconds(10), content);
        bob.send(chat, 0, "bob in between");
        client.sync(); // the message comes back with its tempId: the outbox entry is settled by the sync
        assertEquals(List.of(), client.db.outbox(), "the sync did not settle the outbox entry");
        assertEquals(0, new OutboxSender(client.api, client.db).flush());
        assertExactlyOnce(content);
    }

    @Test
    void cliSendQueuedThroughACutConnectionThenDeliveredOnceBySync() throws Exception {
        Path data = dir.resolve("cli");
        E2e.cliSignup(data, server.url(), "carol");
        RawApi.Account carol = new RawApi.Account("carol", E2e.credentials(data).path("token").asText(),
                E2e.credentials(data).path("userUUID").asText(), null);
        String room = alice.createChat("GROUP", "Retry room", "retry_room", bob.uuid());
        new E2e.As(api, carol).join("retry_room");
        assertEquals(0, E2e.cli("", "--data-dir", data.toString(), "sync", "--quiet").code());

        E2e.pointCredentialsAt(data, proxy.url());
        proxy.mode(FaultProxy.Mode.CUT_AFTER_FORWARD);
        String content = "sent by the CLI, cut after";
        E2e.Run send = E2e.cli("", "--data-dir", data.toString(), "send", "@retry_room", content);
        assertEquals(7, send.code(), "send through a cut connection: " + send);
        assertEquals(1, send.errLines().size(), "stderr: " + send.err());
        Path db = E2e.accountDir(data).resolve("store.db");
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM pending_message"));

        E2e.pointCredentialsAt(data, server.url());
        E2e.Run sync = E2e.cli("", "--data-dir", data.toString(), "sync");
        assertEquals(0, sync.code(), sync.toString());
        assertEquals(0, Projection.scalar(db, "SELECT COUNT(*) FROM pending_message"));
        assertEquals(1, Projection.scalar(db, "SELECT COUNT(*) FROM message WHERE content = '" + content + "'"));
        long onServer = 0;
        for (JsonNode m : Projection.initializeJson(server.url(), carol.token()).path("messages")) {
            if (content.equals(m.path("content").asText(null))) onServer++;
        }
        assertEquals(1, onServer, "messages on the server");
        assertEquals(room, Projection.client(db).lines().stream().filter(l -> l.startsWith("chat ")).findFirst()
                .orElseThrow().split(" ")[1]);
    }
}
