package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.server.live.EngineIoServlet;
import dev.novyse.server.live.LiveGateway;
import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.javalin.http.HttpResponseException;
import io.socket.engineio.server.EngineIoServer;
import io.socket.engineio.server.EngineIoServerOptions;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * The Novyse server: REST on one port (Javalin over Jetty), CQRS storage in SQLite or
 * PostgreSQL. Every refusal is an error
 * envelope with a 4xx status; an unexpected failure is a 500 envelope with no detail, logged on the server.
 */
public final class NovyseServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NovyseServer.class);

    private final ServerConfig config;
    private final ServerDatabase db;
    private final AuthService auth;
    private final ApiKeyService keys;
    private final SyncService sync;
    private final PageTurns pages = new PageTurns(Runtime.getRuntime().availableProcessors());
    private final MessageService messages;
    private final ChatService chats;
    private final MembershipService members;
    private final UserService users;
    private final FileService files;
    private final EngineIoServer engineIo;
    private final LiveGateway live;
    /**
     * Re-checks the API keys of open live connections every {@link #KEY_RECHECK}: a key paused or revoked through
     * another server process (they share the database, issue 13) ends its sockets here within that bound; through
     * this process, at once.
     */
    private final ScheduledExecutorService keyRecheck =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("novyse-apikey-recheck"));
    static final Duration KEY_RECHECK = Duration.ofSeconds(10);
    private Javalin app;

    public NovyseServer(ServerConfig config) {
        this.config = config;
        this.db = config.database() != null ? ServerDatabase.open(config.database())
                : ServerDatabase.open(config.dataDir().resolve("server.db"));
        this.keys = new ApiKeyService(db, config.clock());
        this.auth = new AuthService(db, config, keys);
        this.sync = new SyncService(db);
        EngineIoServerOptions eio = EngineIoServerOptions.newFromDefault();
        eio.setAllowedCorsOrigins(EngineIoServerOptions.ALLOWED_CORS_ORIGIN_ALL);
        this.engineIo = new EngineIoServer(eio);
        this.live = new LiveGateway(engineIo, token -> {
            try {
                AuthService.Caller caller = auth.authenticateToken(token);
                return new LiveGateway.Admission(caller.userUUID(), caller.key() == null ? null : caller.key().id(),
                        caller.key() == null ? String.valueOf(caller.sessionId()) : null);
            } catch (ApiError e) {
                throw new LiveGateway.Refusal(e.code(), e.getMessage());
            }
        }, new LiveGateway.ClientEvents() {
            @Override
            public void onEvent(String user, String event, JsonNode payload) {
                if (event.equals("chat:member:activity")) {
                    messages.activity(user, payload);
                }
            }

            @Override
            public void onPresence(String user, boolean online) {
                // on PostgreSQL, only when no other server process holds a connection of the user's
                if (db.presenceChanges(user, online)) users.announcePresence(user, online);
            }
        });
        db.deliverTo(live);
        NewMessages newMessages = new NewMessages(db, config.clock());
        this.files = new FileService(db, config.clock(), newMessages, new FileUrls(AuthService.secret(db), config.clock()),
                config.dataDir());
        this.messages = new MessageService(db, config.clock(), newMessages, files);
        this.chats = new ChatService(db, config.clock());
        this.members = new MembershipService(db, config.clock());
        this.users = new UserService(db, config.clock());
        db.whenLeftOffline(left -> left.forEach(user -> users.announcePresence(user, false)));
    }

    /**
     * Jetty sizes the padding of its lock-free queues by references per CPU cache line, and without this property it
     * asks the JVM's platform MBean server whether oops are compressed: creating that server loads some 150 JMX
     * classes, a tenth of a second of a cold start (the demo's first screen waits for it). The answer is known
     * from the heap size: oops are compressed below 32 GiB, 4 bytes a reference, 16 in a 64-byte line. A value set
     * on the command line wins.
     */
    private static void avoidJettysMBeanLookup() {
        String key = "org.eclipse.jetty.util.referencesPerCacheLine";
        if (System.getProperty(key) == null) {
            boolean compressed = Runtime.getRuntime().maxMemory() < 32L * 1024 * 1024 * 1024;
            System.setProperty(key, String.valueOf(64 / (compressed ? 4 : 8)));
        }
    }

    /** Starts listening; returns this server with {@link #port()} bound (port 0 picks a free one). */
    public NovyseServer start() {
        avoidJettysMBeanLookup();
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.http.maxRequestSize = Http.MAX_BODY_BYTES + 1L;
            cfg.jetty.host = config.host();
            cfg.jetty.port = config.port();
            cfg.jetty.modifyServletContextHandler(handler -> {
                var holder = new ServletHolder(new EngineIoServlet(engineIo));
                holder.setAsyncSupported(true);
                handler.addServlet(holder, "/socket.io/*");
            });
            routes(cfg.routes);
            cfg.routes.exception(ApiError.class, (e, ctx) -> Http.error(ctx, e));
            cfg.routes.exception(HttpResponseException.class, (e, ctx) ->
                    Http.error(ctx, new ApiError(e.getStatus(), switch (e.getStatus()) {
                        case 404 -> "NOT_FOUND";
                        case 405 -> "METHOD_NOT_ALLOWED";
                        case 413 -> "PAYLOAD_TOO_LARGE";
                        default -> "BAD_REQUEST";
                    }, e.getMessage() == null ? "request refused" : e.getMessage())));
            cfg.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                Http.error(ctx, new ApiError(500, "INTERNAL", "the server failed to handle this request"));
            });
            cfg.routes.error(404, ctx -> {
                if (ctx.result() == null || !ctx.result().startsWith("{")) {
                    Http.error(ctx, ApiError.notFound("no such endpoint: " + ctx.method() + " " + ctx.path()));
                }
            });
            cfg.routes.error(405, ctx -> Http.error(ctx, new ApiError(405, "METHOD_NOT_ALLOWED", "method not allowed")));
        });
        app.start();
        long every = KEY_RECHECK.toMillis();
        keyRecheck.scheduleWithFixedDelay(this::recheckLiveKeys, every, every, TimeUnit.MILLISECONDS);
        return this;
    }

    private void recheckLiveKeys() {
        try {
            for (String id : live.apiKeysInUse()) {
                if (!keys.isUsable(id)) live.closeApiKey(id);
            }
            for (String id : auth.revokedAmong(live.sessionsInUse())) live.closeSession(id);
        } catch (RuntimeException e) {
            LOG.warn("re-checking the API keys of live connections failed: {}", e.toString());
        }
    }

    public int port() {
        return app.port();
    }

    public String url() {
        String host = config.host().contains(":") ? "[" + config.host() + "]" : config.host();
        return "http://" + host + ":" + port();
    }

    /** The write endpoints without HTTP, for seeding this server in-process ({@code novyse demo}). */
    public InProcessCalls inProcess() {
        return new InProcessCalls(db, auth, messages, chats, members, users, sync, this::url);
    }

    /** The server's store, for in-process seeding by tests and benchmarks (BulkSeeder, in the test tree). */
    ServerDatabase database() {
        return db;
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** A handler that needs a signed-in caller. */
    private interface Authed {
        void handle(Context ctx, AuthService.Caller caller) throws Exception;
    }

    private Handler authed(Authed h) {
        return ctx -> h.handle(ctx, auth.authenticate(ctx));
    }

    private static String platform(Context ctx) {
        String p = ctx.header("x-platform");
        return p == null ? "unknown" : p.length() > 32 ? p.substring(0, 32) : p;
    }

    private void routes(RoutesConfig r) {
        // For a load balancer's or a monitor's checks, with no sign-in: 200 while this process answers and reads its
        // database, else the 503 DATABASE_UNAVAILABLE envelope (a balancer then sends no one here). Nothing about users.
        r.get("/health", ctx -> Http.ok(ctx, db.read(c -> {
            try (var st = c.createStatement()) {
                st.execute("SELECT 1");
            }
            return Http.object().put("status", "ok").put("database", config.database() == null ? "sqlite" : "postgresql");
        })));
        r.post("/signup/password", ctx -> Http.bare(ctx, 201, auth.signup(Http.body(ctx), platform(ctx))));
        r.post("/signin/password", ctx -> Http.bare(ctx, 200, auth.signin(Http.body(ctx), platform(ctx))));
        r.post("/token", ctx -> Http.bare(ctx, 200, auth.refresh(ctx.header("x-session-id"))));
        r.post("/logout", authed((ctx, u) -> {
            auth.logout(u);
            // The session's live connections end with it (on other processes: within KEY_RECHECK).
            if (u.key() == null) live.closeSession(String.valueOf(u.sessionId()));
            Http.ok(ctx, Http.object());
        }));
        r.get("/session", authed((ctx, u) -> Http.ok(ctx, auth.describe(u))));
        // API keys (docs/protocol.md#api-keys); ApiKeyScope refuses these to a key. A pause or revoke ends the
        // key's live connections on this process at once (the others: within KEY_RECHECK).
        r.get("/apikey", authed((ctx, u) -> Http.ok(ctx, keys.list(u.userUUID()))));
        r.post("/apikey", authed((ctx, u) -> Http.ok(ctx, keys.create(u.userUUID(), Http.body(ctx)))));
        r.patch("/apikey/{id}", authed((ctx, u) -> {
            var reply = keys.setActive(u.userUUID(), ctx.pathParam("id"), Http.body(ctx));
            if (!reply.path("active").asBoolean()) live.closeApiKey(ctx.pathParam("id"));
            Http.ok(ctx, reply);
        }));
        r.delete("/apikey/{id}", authed((ctx, u) -> {
            var reply = keys.revoke(u.userUUID(), ctx.pathParam("id"));
            live.closeApiKey(ctx.pathParam("id"));
            Http.ok(ctx, reply);
        }));

        r.get("/user/initialize", authed((ctx, u) -> pages.take(() -> Http.ok(ctx, sync.initialize(u.userUUID(),
                limit(ctx))))));
        r.post("/user/update", authed((ctx, u) -> pages.take(() -> Http.ok(ctx, sync.update(u.userUUID(), Http.body(ctx),
                limit(ctx))))));
        r.post("/user/presence", authed((ctx, u) -> Http.ok(ctx, users.presence(u.userUUID(), Http.body(ctx), live::connected))));
        r.patch("/user/profile", authed((ctx, u) -> Http.ok(ctx, users.updateProfile(u.userUUID(), Http.body(ctx)))));
        r.put("/user/settings/preferences", authed((ctx, u) -> Http.ok(ctx, users.setPreference(u.userUUID(), Http.body(ctx)))));
        r.get("/search/all", authed((ctx, u) -> Http.ok(ctx, users.search(u.userUUID(), Http.query(ctx, "query", 128)))));
        r.get("/check/handle", ctx -> Http.ok(ctx, users.checkHandle(Http.query(ctx, "handle", 64))));

        r.post("/message", authed((ctx, u) -> Http.ok(ctx, messages.send(u.userUUID(), Http.body(ctx), base(ctx)).reply())));
        r.post("/message/confirm", authed((ctx, u) -> Http.ok(ctx, files.confirm(u.userUUID(), Http.body(ctx)))));
        r.get("/file", authed((ctx, u) -> Http.ok(ctx, files.info(u.userUUID(), Http.query(ctx, "fileUUID", 64), base(ctx)))));
        r.delete("/file", authed((ctx, u) -> {
            String file = ctx.queryParam("fileUUID");
            Http.ok(ctx, files.cancel(u.userUUID(), file != null && !file.isEmpty() ? Http.query(ctx, "fileUUID", 64)
                    : Http.body(ctx).string("fileUUID", 64)));
        }));
        // The presigned URLs: the signature is the authorisation, as with S3, so no bearer token.
        r.put("/files/upload/{fileUUID}", ctx -> Http.ok(ctx, files.upload(ctx.pathParam("fileUUID"),
                ctx.queryParam("exp"), ctx.queryParam("sig"), ctx.req().getContentLengthLong(), ctx.req().getInputStream())));
        r.get("/files/download/{fileUUID}", ctx -> {
            FileService.Download d = files.download(ctx.pathParam("fileUUID"), ctx.queryParam("exp"), ctx.queryParam("sig"));
            ctx.status(200);
            ctx.res().setContentType(d.mimeType());
            ctx.res().setContentLengthLong(d.size());
            ctx.header("Cache-Control", "private, max-age=0");
            try (InputStream in = Files.newInputStream(d.file())) {
                in.transferTo(ctx.res().getOutputStream());
            }
        });
        r.get("/message", authed((ctx, u) -> Http.ok(ctx, messages.get(u.userUUID(), Http.query(ctx, "chatUUID", 64),
                (int) Http.queryLong(ctx, "subID", 0, Integer.MAX_VALUE, 0),
                Http.queryLong(ctx, "messageID", 1, Long.MAX_VALUE, -1)))));
        r.get("/message/history", authed((ctx, u) -> Http.ok(ctx, messages.history(u.userUUID(),
                Http.query(ctx, "chatUUID", 64), (int) Http.queryLong(ctx, "subID", 0, Integer.MAX_VALUE, 0),
                Http.queryLong(ctx, "before", 1, Long.MAX_VALUE, Long.MAX_VALUE),
                (int) Http.queryLong(ctx, "limit", 1, 500, 100)))));
        r.patch("/message", authed((ctx, u) -> Http.ok(ctx, messages.edit(u.userUUID(), Http.body(ctx)))));
        r.delete("/message", authed((ctx, u) -> Http.ok(ctx, messages.delete(u.userUUID(), Http.body(ctx)))));
        r.put("/message/reaction", authed((ctx, u) -> Http.ok(ctx, messages.react(u.userUUID(), Http.body(ctx), true))));
        r.delete("/message/reaction", authed((ctx, u) -> Http.ok(ctx, messages.react(u.userUUID(), Http.body(ctx), false))));
        r.put("/message/pin", authed((ctx, u) -> Http.ok(ctx, messages.pin(u.userUUID(), Http.body(ctx), true))));
        r.delete("/message/pin", authed((ctx, u) -> Http.ok(ctx, messages.pin(u.userUUID(), Http.body(ctx), false))));
        r.put("/message/favorite", authed((ctx, u) -> Http.ok(ctx, messages.favorite(u.userUUID(), Http.body(ctx), true))));
        r.delete("/message/favorite", authed((ctx, u) -> Http.ok(ctx, messages.favorite(u.userUUID(), Http.body(ctx), false))));
        r.post("/message/read", authed((ctx, u) -> Http.ok(ctx, messages.read(u.userUUID(), Http.body(ctx)))));

        r.post("/chat/create", authed((ctx, u) -> Http.ok(ctx, chats.create(u.userUUID(), Http.body(ctx)))));
        r.post("/chat/join", authed((ctx, u) -> Http.ok(ctx, members.join(u.userUUID(), Http.body(ctx)))));
        r.post("/chat/leave", authed((ctx, u) -> Http.ok(ctx, members.leave(u.userUUID(), Http.body(ctx)))));
        r.patch("/chat/rename", authed((ctx, u) -> Http.ok(ctx, chats.rename(u.userUUID(), Http.body(ctx)))));
        r.patch("/chat/description", authed((ctx, u) -> Http.ok(ctx, chats.describe(u.userUUID(), Http.body(ctx)))));
        r.patch("/chat/handle", authed((ctx, u) -> Http.ok(ctx, chats.changeHandle(u.userUUID(), Http.body(ctx)))));
        // Moderation (novyse extensions, docs/protocol.md#moderation).
        r.post("/chat/invite", authed((ctx, u) -> Http.ok(ctx, members.invite(u.userUUID(), Http.body(ctx)))));
        r.post("/chat/kick", authed((ctx, u) -> Http.ok(ctx, members.kick(u.userUUID(), Http.body(ctx)))));
        r.put("/chat/ban", authed((ctx, u) -> Http.ok(ctx, members.ban(u.userUUID(), Http.body(ctx)))));
        r.delete("/chat/ban", authed((ctx, u) -> Http.ok(ctx, members.unban(u.userUUID(), Http.body(ctx)))));
        r.get("/chat/bans", authed((ctx, u) -> Http.ok(ctx, members.bans(u.userUUID(), Http.query(ctx, "chatUUID", 64)))));
        r.put("/chat/admin", authed((ctx, u) -> Http.ok(ctx, members.setAdmin(u.userUUID(), Http.body(ctx), true))));
        r.delete("/chat/admin", authed((ctx, u) -> Http.ok(ctx, members.setAdmin(u.userUUID(), Http.body(ctx), false))));
        r.post("/chat/owner", authed((ctx, u) -> Http.ok(ctx, members.transferOwnership(u.userUUID(), Http.body(ctx)))));
        r.put("/chat/pin", authed((ctx, u) -> Http.ok(ctx, chats.pinChat(u.userUUID(), Http.body(ctx), true))));
        r.delete("/chat/pin", authed((ctx, u) -> Http.ok(ctx, chats.pinChat(u.userUUID(), Http.body(ctx), false))));
        r.post("/chat/sub/create", authed((ctx, u) -> Http.ok(ctx, chats.createSub(u.userUUID(), Http.body(ctx)))));
        r.patch("/chat/sub/rename", authed((ctx, u) -> Http.ok(ctx, chats.renameSub(u.userUUID(), Http.body(ctx)))));
        r.delete("/chat/sub/delete", authed((ctx, u) -> Http.ok(ctx, chats.deleteSub(u.userUUID(), Http.body(ctx)))));
    }

    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?");

    /**
     * The base of the file URLs in a reply: the address the caller used, so URLs work through whatever name or proxy
     * the client reached the server by. Behind a reverse proxy that is the host and scheme it forwards
     * ({@code X-Forwarded-Host}, {@code X-Forwarded-Proto}: a proxy ending TLS talks plain HTTP to this process, and
     * may send its own upstream address as Host); else the Host header. They shape only the URLs handed back to the
     * same caller, so a forged one misleads no one else. A malformed host falls back to the bound address.
     */
    static String base(String forwardedHost, String forwardedProto, String host, String scheme, String bound) {
        String h = firstOf(forwardedHost);
        if (h == null || !HOST.matcher(h).matches()) h = host;
        String proto = firstOf(forwardedProto);
        String s = "https".equalsIgnoreCase(proto) || "http".equalsIgnoreCase(proto) ? proto.toLowerCase(java.util.Locale.ROOT) : scheme;
        return h != null && HOST.matcher(h).matches() ? s + "://" + h : bound;
    }

    private String base(Context ctx) {
        return base(ctx.header("X-Forwarded-Host"), ctx.header("X-Forwarded-Proto"), ctx.header("Host"), ctx.scheme(), url());
    }

    /** The first of a header's comma-separated values (the one the client's side of a chain of proxies set). */
    private static String firstOf(String header) {
        if (header == null) return null;
        int comma = header.indexOf(',');
        return (comma < 0 ? header : header.substring(0, comma)).strip();
    }

    private static int limit(Context ctx) {
        return (int) Http.queryLong(ctx, "limit", 1, SyncService.MAX_LIMIT, SyncService.DEFAULT_LIMIT);
    }

    @Override
    public void close() {
        if (app != null) {
            app.stop();
        }
        keyRecheck.shutdownNow();
        engineIo.shutdown();
        live.close();
        db.close();
    }
}
