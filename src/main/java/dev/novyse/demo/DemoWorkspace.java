package dev.novyse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.demo.DemoPlan.Action;
import dev.novyse.demo.DemoPlan.ChatSpec;
import dev.novyse.demo.DemoPlan.Person;
import dev.novyse.demo.DemoPlan.Ref;
import dev.novyse.protocol.AuthReply;
import dev.novyse.server.HistoryWriter;
import dev.novyse.server.InProcessCalls;
import dev.novyse.server.NovyseServer;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Builds the demo workspace on a fresh server in the same process, without HTTP: sign-ups, profiles, chats of all
 * four types and forum subs through the server's own endpoint handlers ({@link InProcessCalls}), then the
 * {@link DemoPlan}'s timeline of posts, replies, reactions, edits, deletions, pins, reads and favourites written
 * straight into its tables ({@link HistoryWriter}: the rows and event-log entries those endpoints would write), then
 * the pinned chats, all in one transaction. About 4,500 actions take a fraction of a second, where as many HTTP
 * requests took 8 to 20.
 *
 * <p>Back-dating: the endpoints stamp every write with the server's clock and offer no way to choose a time, so the
 * server runs on a {@link DemoClock}, which the seeder moves to each call's planned instant just before making it,
 * and releases when done; the history carries its planned instants itself. Sign-ups happen before the clock is
 * pinned, so the access tokens carry real expiry times (a token is only checked against its expiry).
 */
public final class DemoWorkspace {
    /** The demo account the client signs in as. */
    public static final String USERNAME = "you";
    /**
     * Everyone's password. The demo server listens on loopback only and lives as long as the demo; the password is
     * printed so a second terminal can sign in too.
     */
    public static final String PASSWORD = "novyse-demo";

    /** A signed-up person of the workspace: the API client that acts as them and its session's tokens. */
    public record Member(String username, String name, String uuid, ApiClient api, TokenProvider tokens) {
    }

    /** One chat as created: its server uuid, type, the title the demo account sees, sub ids and members. */
    public record ChatInfo(String uuid, String type, String title, String handle, List<Integer> subIds,
                           List<String> members) {
    }

    /** How much was written, and how many calls it took. */
    public record Counts(int requests, int messages, int replies, int reactions, int edits, int deletions, int pins,
                         int reads, int favourites, int chatPins) {
    }

    /** The seeded workspace: members (the demo account first), chats, counts and the time it took. */
    public record Result(List<Member> members, List<ChatInfo> chats, Counts counts, Duration took) {
        public Member you() {
            return members.get(DemoPlan.YOU);
        }

        public Member member(String username) {
            return members.stream().filter(m -> m.username().equals(username)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no demo member " + username));
        }
    }

    /** How far the seeding is: {@code done} of {@code total} calls made. Called often; must be quick. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (done, total) -> {
        };

        void update(int done, int total);
    }

    private final InProcessCalls endpoints;
    private final Supplier<URI> url;
    private final DemoClock clock;
    private final Progress progress;
    private int requests;
    private int total;

    private DemoWorkspace(InProcessCalls endpoints, Supplier<URI> url, DemoClock clock, Progress progress) {
        this.endpoints = endpoints;
        this.url = url;
        this.clock = clock;
        this.progress = progress;
    }

    /**
     * Seeds a fresh, started {@code server} whose clock is {@code clock}; the history ends shortly before now, with
     * days and nights in the system time zone. Throws the server's refusal when a call is refused (the server was
     * not empty); then nothing of the workspace but the sign-ups is written.
     */
    public static Result seed(NovyseServer server, DemoClock clock, long seed, Progress progress) {
        return seed(server.inProcess(), () -> URI.create(server.url()), clock, seed, progress);
    }

    /**
     * {@link #seed(NovyseServer, DemoClock, long, Progress)} on a server that may still be starting to listen: the
     * seeding needs only its store, and asks for its {@code url} (where the members' API clients, which the peer
     * uses, point) once it is done.
     */
    public static Result seed(InProcessCalls endpoints, Supplier<URI> url, DemoClock clock, long seed,
                              Progress progress) {
        // The plan (pure, a few hundred milliseconds on a cold JVM) is built on another thread meanwhile the people sign up.
        Instant now = Instant.now();
        CompletableFuture<DemoPlan> plan = CompletableFuture.supplyAsync(
                () -> DemoPlan.build(seed, now, ZoneId.systemDefault()), r -> DaemonThreads.start("novyse-demo-plan", r));
        return new DemoWorkspace(endpoints, url, clock, progress).run(plan);
    }

    /** Access tokens of one session, refreshed through {@code POST /token} when the server says they expired. */
    static final class SessionTokens implements TokenProvider {
        private final ApiClient auth;
        private final String sessionKey;
        private volatile String token;

        SessionTokens(ApiClient auth, AuthReply reply) {
            this.auth = auth;
            this.sessionKey = reply.sessionKey();
            this.token = reply.token();
        }

        @Override
        public String current() {
            return token;
        }

        @Override
        public synchronized String refresh() {
            token = auth.refreshToken(sessionKey).token();
            return token;
        }
    }

    private Result run(CompletableFuture<DemoPlan> planned) {
        long t0 = System.nanoTime();
        clock.release();
        List<Member> members = new ArrayList<>();
        List<AuthReply> sessions = signUp(members);
        DemoPlan plan = planned.join();
        // Sign-ups, profiles, chats and subs, the timeline, the pinned chats.
        total = 2 * DemoPlan.PEOPLE.size() + plan.chats.stream().mapToInt(c -> c.subs().size()).sum() + plan.timeline.size()
                + DemoPlan.CHAT_PINS.size();
        List<ChatInfo> chats = new ArrayList<>();
        Counts[] counts = new Counts[1];
        try {
            endpoints.inOneTransaction(() -> {
                clock.advanceTo(plan.start);
                for (int i = 0; i < DemoPlan.PEOPLE.size(); i++) {
                    Person p = DemoPlan.PEOPLE.get(i);
                    Map<String, Object> profile = new LinkedHashMap<>();
                    if (p.surname() != null) profile.put("surname", p.surname());
                    profile.put("biography", p.biography());
                    call(members.get(i), "PATCH", "/user/profile", profile);
                }
                chats.addAll(createChats(plan, members));
                // Joins go through the endpoint (new members, their events); the plan has them before any message.
                for (Action a : plan.timeline) {
                    if (a instanceof DemoPlan.Join j) {
                        clock.advanceTo(j.at());
                        call(members.get(j.actor()), "POST", "/chat/join", Map.of("handle", chats.get(j.chat()).handle()));
                    }
                }
                endpoints.writeHistory(history -> replay(plan, members, chats, history));
                counts[0] = pinChats(plan, members, chats);
            });
            URI server = url.get();
            ApiClient auth = new ApiClient(server, TokenProvider.NONE); // one HTTP client for every token refresh
            List<Member> clients = new ArrayList<>();
            for (int i = 0; i < members.size(); i++) {
                SessionTokens tokens = new SessionTokens(auth, sessions.get(i));
                Member m = members.get(i);
                clients.add(new Member(m.username(), m.name(), m.uuid(), new ApiClient(server, tokens), tokens));
            }
            return new Result(List.copyOf(clients), List.copyOf(chats), counts[0],
                    Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            clock.release();
        }
    }

    /**
     * Signs everyone up; {@code members} gets them without API clients yet (the server may not listen yet), the
     * sessions are returned in the same order.
     */
    private List<AuthReply> signUp(List<Member> members) {
        List<AuthReply> sessions = new ArrayList<>();
        for (Person p : DemoPlan.PEOPLE) {
            requests++;
            AuthReply reply = endpoints.signup(p.username(), PASSWORD, p.name());
            sessions.add(reply);
            members.add(new Member(p.username(), p.name(), reply.userUUID(), null, null));
        }
        return sessions;
    }

    private JsonNode call(Member as, String method, String path, Object body) {
        if (++requests % 64 == 0) progress.update(requests, total);
        return endpoints.call(as.uuid(), method, path, body);
    }

    private List<ChatInfo> createChats(DemoPlan plan, List<Member> members) {
        List<ChatInfo> out = new ArrayList<>();
        Instant at = plan.start;
        for (ChatSpec spec : plan.chats) {
            Member owner = members.get(spec.owner());
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("type", spec.type());
            body.put("memberUUIDs", spec.members().stream().map(m -> members.get(m).uuid()).toList());
            if (spec.name() != null) body.put("name", spec.name());
            if (spec.handle() != null) body.put("handle", spec.handle());
            if (spec.description() != null) body.put("description", spec.description());
            clock.advanceTo(at = at.plusSeconds(7));
            String uuid = call(owner, "POST", "/chat/create", body).path("chat").path("uuid").asText();
            List<Integer> subIds = new ArrayList<>(List.of(0));
            for (int s = 1; s < spec.subs().size(); s++) {
                clock.advanceTo(at = at.plusSeconds(11));
                JsonNode sub = call(owner, "POST", "/chat/sub/create", Map.of("chatUUID", uuid,
                        "name", spec.subs().get(s).name(), "type", "TEXT"));
                subIds.add(sub.path("id").asInt());
            }
            List<String> usernames = spec.everyone().stream().map(m -> members.get(m).username()).toList();
            String title = spec.name() != null ? spec.name()
                    : members.get(spec.everyone().stream().filter(m -> m != DemoPlan.YOU).findFirst().orElseThrow()).name();
            out.add(new ChatInfo(uuid, spec.type(), title, spec.handle(), List.copyOf(subIds), usernames));
        }
        return List.copyOf(out);
    }

    /** Writes the timeline in planned order, each action at its planned instant, as the person who does it. */
    private void replay(DemoPlan plan, List<Member> members, List<ChatInfo> chats, HistoryWriter history)
            throws java.sql.SQLException {
        Map<Ref, Long> ids = new HashMap<>();
        for (Action a : plan.timeline) {
            if (a instanceof DemoPlan.Join) continue; // made before the history
            perform(a, members.get(a.actor()), chats, ids, history);
            if (++requests % 128 == 0) progress.update(requests, total);
        }
    }

    /** The pinned chats, after the history; returns what was written. */
    private Counts pinChats(DemoPlan plan, List<Member> members, List<ChatInfo> chats) {
        Instant last = plan.timeline.isEmpty() ? plan.start : plan.timeline.get(plan.timeline.size() - 1).at();
        for (DemoPlan.ChatPin pin : DemoPlan.CHAT_PINS) {
            clock.advanceTo(last = last.plusSeconds(1));
            call(members.get(DemoPlan.YOU), "PUT", "/chat/pin",
                    Map.of("chatUUID", chats.get(pin.chat()).uuid(), "position", pin.position()));
        }
        progress.update(requests, total);
        Map<Class<?>, Long> kinds = plan.timeline.stream()
                .collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
        long replies = plan.timeline.stream().filter(a -> a instanceof DemoPlan.Post p && p.replyTo() != null).count();
        return new Counts(requests, count(kinds, DemoPlan.Post.class), (int) replies,
                count(kinds, DemoPlan.React.class), count(kinds, DemoPlan.Edit.class), count(kinds, DemoPlan.Delete.class),
                count(kinds, DemoPlan.Pin.class), count(kinds, DemoPlan.Read.class), count(kinds, DemoPlan.Favourite.class),
                DemoPlan.CHAT_PINS.size());
    }

    private static int count(Map<Class<?>, Long> kinds, Class<?> kind) {
        return kinds.getOrDefault(kind, 0L).intValue();
    }

    /** One action of the timeline, as the person who does it. */
    private static void perform(Action a, Member who, List<ChatInfo> chats, Map<Ref, Long> ids, HistoryWriter history)
            throws java.sql.SQLException {
        String me = who.uuid();
        if (a instanceof DemoPlan.Post p) {
            ChatInfo chat = chats.get(p.ref().chat());
            int sub = chat.subIds().get(p.ref().sub());
            // The idempotency key a client would have sent, so the rows are the ones the API would have left.
            String tempId = "demo-" + p.ref().chat() + "-" + p.ref().sub() + "-" + p.ref().index();
            ids.put(p.ref(), history.post(chat.uuid(), sub, me, p.content(), tempId,
                    p.replyTo() == null ? null : id(ids, p.replyTo()), p.at()));
            return;
        }
        DemoPlan.OnMessage m = (DemoPlan.OnMessage) a;
        ChatInfo chat = chats.get(m.target().chat());
        int sub = chat.subIds().get(m.target().sub());
        long id = id(ids, m.target());
        if (a instanceof DemoPlan.React r) {
            history.react(chat.uuid(), sub, id, me, r.emoji(), a.at());
        } else if (a instanceof DemoPlan.Edit e) {
            history.edit(chat.uuid(), sub, id, me, e.content(), a.at());
        } else if (a instanceof DemoPlan.Delete) {
            history.delete(chat.uuid(), sub, id, me, a.at());
        } else if (a instanceof DemoPlan.Pin) {
            history.pin(chat.uuid(), sub, id, me, a.at());
        } else if (a instanceof DemoPlan.Read) {
            history.read(chat.uuid(), sub, id, me, a.at());
        } else if (a instanceof DemoPlan.Favourite) {
            history.favourite(chat.uuid(), sub, id, me, a.at());
        }
    }

    /** The server id of a planned message, which the plan posts before anything refers to it. */
    private static long id(Map<Ref, Long> ids, Ref ref) {
        Long id = ids.get(ref);
        if (id == null) throw new IllegalStateException("the plan refers to a message not posted yet: " + ref);
        return id;
    }
}
