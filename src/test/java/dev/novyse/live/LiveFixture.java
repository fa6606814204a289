package dev.novyse.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** Accounts, channels and a recording listener against a real server. */
final class LiveFixture implements AutoCloseable {
    final NovyseServer server;
    final RawApi api;
    private final List<AutoCloseable> open = new ArrayList<>();

    LiveFixture(NovyseServer server) {
        this.server = server;
        this.api = new RawApi(server.url());
    }

    /** Tokens of a RawApi account, refreshed through {@code POST /token} like account.Session does. */
    static class Tokens implements TokenProvider {
        final RawApi api;
        final String session;
        volatile String token;
        final AtomicInteger refreshes = new AtomicInteger();

        Tokens(RawApi api, RawApi.Account account) {
            this.api = api;
            this.session = account.session();
            this.token = account.token();
        }

        @Override
        public String current() {
            return token;
        }

        @Override
        public synchronized String refresh() {
            RawApi.Reply r = api.exchange(HttpRequest.newBuilder(URI.create(api.base() + "/token"))
                    .POST(HttpRequest.BodyPublishers.noBody()).header("x-session-id", session).build());
            if (r.status() != 200) {
                throw new ApiException(ApiException.Kind.HTTP, r.status(), r.error(), "refresh refused: " + r.text());
            }
            refreshes.incrementAndGet();
            token = r.body().get("token").asText();
            return token;
        }
    }

    /** Everything a channel reported, as lines such as {@code "event REACTION_ADDED 3"}; waitable. */
    static final class Recorder implements Consumer<ChannelEvent> {
        final List<String> log = new CopyOnWriteArrayList<>();
        final List<MessageView> messages = new CopyOnWriteArrayList<>();
        final List<LiveChannel.Source> sources = new CopyOnWriteArrayList<>();
        final List<Long> messageNanos = new CopyOnWriteArrayList<>();
        /** Each chat, profile and user event's time as the channel gave it, with its type. */
        final List<String> eventTimes = new CopyOnWriteArrayList<>();
        /** Each chat event's type and actor, as it arrived. */
        final List<String> eventActors = new CopyOnWriteArrayList<>();
        final AtomicReference<RuntimeException> stopped = new AtomicReference<>();
        volatile LiveChannel.Status status;

        private void add(String line) {
            log.add(line);
            synchronized (this) {
                notifyAll();
            }
        }

        @Override
        public void accept(ChannelEvent event) {
            if (event instanceof ChannelEvent.StatusChanged s) {
                status = s.status();
                add("status " + s.status());
            } else if (event instanceof ChannelEvent.MessageArrived a) {
                MessageView m = a.message();
                messageNanos.add(System.nanoTime());
                messages.add(m);
                sources.add(a.source());
                add("message " + m.chatUUID() + " " + m.subID() + " " + m.id() + " " + a.source());
            } else if (event instanceof ChannelEvent.ChatAdded c) {
                add("chat " + c.chat().uuid());
            } else if (event instanceof ChannelEvent.ChatChanged c) {
                eventTimes.add(c.event().type() + " " + c.event().createdAt());
                eventActors.add(c.event().type() + " " + c.event().userUUID());
                add("event " + c.event().type() + " " + c.event().id());
            } else if (event instanceof ChannelEvent.ProfileChanged p) {
                eventTimes.add("profile " + p.event().createdAt());
                add("profile " + p.event().userUUID() + " " + p.event().id());
            } else if (event instanceof ChannelEvent.UserChanged u) {
                eventTimes.add(u.event().type() + " " + u.event().createdAt());
                add("user " + u.event().type() + " " + u.event().id());
            } else if (event instanceof ChannelEvent.Synced r) {
                add("synced " + r.reason() + (r.baseline() ? " baseline" : ""));
            } else if (event instanceof ChannelEvent.Activity a) {
                add("activity " + a.chatUUID() + " " + a.userUUID() + " " + a.action());
            } else if (event instanceof ChannelEvent.Presence p) {
                add("presence " + p.userUUID() + " " + p.online());
            } else if (event instanceof ChannelEvent.Problem p) {
                add("problem " + p.message());
            } else if (event instanceof ChannelEvent.Stopped st) {
                stopped.set(st.failure());
                add("stopped " + (st.failure() == null ? "" : st.failure().getMessage()));
            }
        }

        long count(Predicate<String> p) {
            return log.stream().filter(p).count();
        }

        /** Waits until {@code n} lines start with {@code prefix}. */
        void awaitCount(String prefix, long n) {
            await(() -> count(l -> l.startsWith(prefix)) >= n, "" + n + " x '" + prefix + "'");
        }

        void await(String prefix) {
            awaitCount(prefix, 1);
        }

        void await(BooleanSupplier condition, String what) {
            awaitUntil(this, condition, Duration.ofSeconds(15), what);
        }
    }

    static void awaitUntil(Object monitor, BooleanSupplier condition, Duration timeout, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out waiting for " + what
                        + (monitor instanceof Recorder r ? "; log: " + r.log : ""));
            }
            synchronized (monitor) {
                try {
                    monitor.wait(Math.min(50, Math.max(1, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** A client of {@code account}: its own store in {@code file}, a sync engine, and a channel (not started). */
    final class Client implements AutoCloseable {
        final RawApi.Account account;
        final Tokens tokens;
        final LocalDatabase db;
        final Path file;
        final SyncEngine engine;
        final Recorder recorder = new Recorder();
        /** Where this client reaches the server (REST and socket): the server itself, or a proxy in front of it. */
        final URI base;
        LiveChannel channel;

        Client(RawApi.Account account, Path file, int pageLimit, URI base) {
            this.account = account;
            this.tokens = new Tokens(api, account);
            this.file = file;
            this.base = base;
            this.db = LocalDatabase.open(file);
            this.engine = new SyncEngine(new ApiClient(base, tokens), db, pageLimit);
        }

        LiveChannel start(LiveChannel.Options options) {
            channel = new LiveChannel(base, tokens, db, engine, options);
            channel.subscribe(recorder);
            channel.start();
            return channel;
        }

        LiveChannel startConnected() {
            start(fast());
            awaitConnected();
            return channel;
        }

        void awaitConnected() {
            recorder.await(() -> channel.status() == LiveChannel.Status.CONNECTED, "CONNECTED");
        }

        /** Closes the channel (the store stays open). */
        void stopChannel() {
            if (channel != null) channel.close();
            channel = null;
        }

        @Override
        public void close() {
            stopChannel();
            db.close();
        }
    }

    Client client(RawApi.Account account, Path file) {
        return client(account, file, SyncEngine.DEFAULT_PAGE_LIMIT);
    }

    Client client(RawApi.Account account, Path file, int pageLimit) {
        return client(account, file, pageLimit, server.url());
    }

    /** A client that reaches the server through {@code base} (e.g. a proxy's URL) for REST and the socket alike. */
    Client client(RawApi.Account account, Path file, int pageLimit, String base) {
        Client c = new Client(account, file, pageLimit, URI.create(base));
        open.add(c);
        return c;
    }

    /** Short reconnect delays for tests; everything else as in production. */
    static LiveChannel.Options fast() {
        return LiveChannel.Options.defaults().withReconnectDelay(Duration.ofMillis(100), Duration.ofMillis(500));
    }

    String group(RawApi.Account owner, String name, String handle, RawApi.Account... members) {
        List<String> uuids = new ArrayList<>();
        for (RawApi.Account m : members) uuids.add(m.uuid());
        java.util.Map<String, Object> body = new java.util.HashMap<>(java.util.Map.of("type", "GROUP", "name", name,
                "memberUUIDs", uuids));
        if (handle != null) body.put("handle", handle);
        return api.ok(api.post("/chat/create", owner.token(), body)).path("chat").path("uuid").asText();
    }

    JsonNode send(RawApi.Account from, String chat, int sub, String content) {
        return api.ok(api.post("/message", from.token(), java.util.Map.of("chatUUID", chat, "subID", sub, "content", content)));
    }

    @Override
    public void close() {
        for (int i = open.size() - 1; i >= 0; i--) {
            try {
                open.get(i).close();
            } catch (Exception e) {
                // best effort
            }
        }
        server.close();
    }
}
