package dev.novyse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.demo.DemoPlan.Action;
import dev.novyse.demo.DemoPlan.ChatSpec;
import dev.novyse.demo.DemoPlan.Person;
import dev.novyse.demo.DemoPlan.Ref;
import dev.novyse.protocol.AuthReply;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

/**
 * Builds the demo workspace on a running server through its public REST API, exactly as clients would: sign-ups,
 * profiles, chats of all four types, forum subs, then the {@link DemoPlan}'s timeline of posts, replies, reactions,
 * edits, deletions, pins, reads and favourites, each request sent as the person who does it.
 *
 * <p>Back-dating: the API stamps every write with the server's clock and offers no way to choose a message's time,
 * so the seeder needs the server to run on a {@link DemoClock}. It pins that clock to each action's planned instant
 * just before sending it, and releases it when done. Sign-ups happen before the clock is pinned, so the access
 * tokens carry real expiry times and stay valid throughout the back-dated seeding (a token is only checked against
 * its expiry). See {@link #replay} for how several requests share the one clock.
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

    /** How much was written, and how many requests it took. */
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

    private final URI server;
    private final DemoClock clock;
    private final AtomicInteger requests = new AtomicInteger();

    private DemoWorkspace(URI server, DemoClock clock) {
        this.server = server;
        this.clock = clock;
    }

    /**
     * Seeds a fresh server at {@code server} whose clock is {@code clock}; the history ends shortly before now,
     * with days and nights in the system time zone. Throws {@link dev.novyse.sync.ApiException} when a request is
     * refused (the server was not empty, or is not a novyse server).
     */
    public static Result seed(URI server, DemoClock clock, long seed) {
        return new DemoWorkspace(server, clock).run(DemoPlan.build(seed, Instant.now(), ZoneId.systemDefault()));
    }

    /** Access tokens of one session, refreshed through {@code POST /token} when the server says they expired. */
    static final class SessionTokens implements TokenProvider {
        private final ApiClient auth;
        private final String sessionKey;
        private volatile String token;

        SessionTokens(URI server, AuthReply reply) {
            this.auth = new ApiClient(server, TokenProvider.NONE);
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

    private Result run(DemoPlan plan) {
        long t0 = System.nanoTime();
        clock.release();
        List<Member> members = signUp();
        try {
            clock.advanceTo(plan.start);
            for (int i = 0; i < DemoPlan.PEOPLE.size(); i++) {
                Person p = DemoPlan.PEOPLE.get(i);
                Map<String, Object> profile = new LinkedHashMap<>();
                if (p.surname() != null) profile.put("surname", p.surname());
                profile.put("biography", p.biography());
                call(members.get(i), "PATCH", "/user/profile", profile);
            }
            List<ChatInfo> chats = createChats(plan, members);
            Counts counts = replay(plan, members, chats);
            return new Result(List.copyOf(members), chats, counts, Duration.ofNanos(System.nanoTime() - t0));
        } finally {
            clock.release();
        }
    }

    private List<Member> signUp() {
        ApiClient anonymous = new ApiClient(server, TokenProvider.NONE);
        List<Member> members = new ArrayList<>();
        for (Person p : DemoPlan.PEOPLE) {
            requests.incrementAndGet();
            AuthReply reply = anonymous.signup(p.username(), PASSWORD, p.name());
            SessionTokens tokens = new SessionTokens(server, reply);
            members.add(new Member(p.username(), p.name(), reply.userUUID(), new ApiClient(server, tokens), tokens));
        }
        return members;
    }

    private JsonNode call(Member as, String method, String path, Object body) {
        requests.incrementAndGet();
        return switch (method) {
            case "POST" -> as.api().post(path, body);
            case "PUT" -> as.api().put(path, body);
            case "PATCH" -> as.api().patch(path, body);
            case "DELETE" -> as.api().delete(path, body);
            default -> throw new IllegalArgumentException(method);
        };
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

    /** Requests in flight at once while replaying the timeline. */
    static final int THREADS = 6;
    /**
     * How far apart in planned time two actions in flight may be. The clock is at the latest of them, so this is
     * the most a timestamp can be later than planned; actions further apart run in order.
     */
    static final Duration WINDOW = Duration.ofMinutes(5);

    /**
     * Sends the timeline with up to {@link #THREADS} requests in flight (one request takes about a millisecond, and
     * most of it is waiting). Actions on one (chat, sub) — a post and its replies, reactions, edits, reads — go one
     * at a time in planned order; actions more than {@link #WINDOW} apart go in planned order too, which keeps every
     * timestamp close to its plan and makes joins happen before the joiner's first post.
     */
    private Counts replay(DemoPlan plan, List<Member> members, List<ChatInfo> chats) {
        Map<Ref, Long> ids = new ConcurrentHashMap<>();
        Object monitor = new Object();
        Set<List<Integer>> busyLanes = new HashSet<>();
        PriorityQueue<Instant> inFlight = new PriorityQueue<>();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS, DaemonThreads.named("novyse-demo-seed"));
        try {
            for (Action a : plan.timeline) {
                List<Integer> lane = lane(a);
                synchronized (monitor) {
                    while (failure.get() == null && (busyLanes.contains(lane) || inFlight.size() >= THREADS
                            || (!inFlight.isEmpty() && a.at().isAfter(inFlight.peek().plus(WINDOW))))) {
                        wait(monitor);
                    }
                    if (failure.get() != null) break;
                    busyLanes.add(lane);
                    inFlight.add(a.at());
                    clock.advanceTo(a.at());
                }
                pool.execute(() -> {
                    try {
                        if (failure.get() == null) perform(a, members.get(a.actor()), chats, ids);
                    } catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                    } finally {
                        synchronized (monitor) {
                            busyLanes.remove(lane);
                            inFlight.remove(a.at());
                            monitor.notifyAll();
                        }
                    }
                });
            }
            synchronized (monitor) {
                while (!inFlight.isEmpty()) wait(monitor);
            }
        } finally {
            pool.shutdownNow();
        }
        if (failure.get() != null) throw failure.get();
        Instant last = plan.timeline.isEmpty() ? plan.start : plan.timeline.get(plan.timeline.size() - 1).at();
        for (DemoPlan.ChatPin pin : DemoPlan.CHAT_PINS) {
            clock.advanceTo(last = last.plusSeconds(1));
            call(members.get(DemoPlan.YOU), "PUT", "/chat/pin",
                    Map.of("chatUUID", chats.get(pin.chat()).uuid(), "position", pin.position()));
        }
        Map<Class<?>, Long> kinds = plan.timeline.stream()
                .collect(Collectors.groupingBy(Object::getClass, Collectors.counting()));
        long replies = plan.timeline.stream().filter(a -> a instanceof DemoPlan.Post p && p.replyTo() != null).count();
        return new Counts(requests.get(), count(kinds, DemoPlan.Post.class), (int) replies,
                count(kinds, DemoPlan.React.class), count(kinds, DemoPlan.Edit.class), count(kinds, DemoPlan.Delete.class),
                count(kinds, DemoPlan.Pin.class), count(kinds, DemoPlan.Read.class), count(kinds, DemoPlan.Favourite.class),
                DemoPlan.CHAT_PINS.size());
    }

    private static int count(Map<Class<?>, Long> kinds, Class<?> kind) {
        return kinds.getOrDefault(kind, 0L).intValue();
    }

    private static void wait(Object monitor) {
        try {
            monitor.wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("seeding interrupted", e);
        }
    }

    /** What must not run concurrently with an action: its (chat, sub), or for a join its chat. */
    private static List<Integer> lane(Action a) {
        if (a instanceof DemoPlan.Join j) return List.of(j.chat());
        Ref ref = a instanceof DemoPlan.Post p ? p.ref() : ((DemoPlan.OnMessage) a).target();
        return List.of(ref.chat(), ref.sub());
    }

    /** One action as one request, sent as the person who does it. */
    private void perform(Action a, Member who, List<ChatInfo> chats, Map<Ref, Long> ids) {
        if (a instanceof DemoPlan.Post p) {
            Map<String, Object> body = target(chats, p.ref(), null);
            body.put("content", p.content());
            // The idempotency key makes a retried seeding request harmless, as for any client.
            body.put("tempId", "demo-" + p.ref().chat() + "-" + p.ref().sub() + "-" + p.ref().index());
            if (p.replyTo() != null) {
                body.put("replyTos", List.of(target(chats, p.replyTo(), ids)));
            }
            ids.put(p.ref(), call(who, "POST", "/message", body).path("id").asLong());
        } else if (a instanceof DemoPlan.React r) {
            Map<String, Object> body = target(chats, r.target(), ids);
            body.put("reaction", r.emoji());
            call(who, "PUT", "/message/reaction", body);
        } else if (a instanceof DemoPlan.Edit e) {
            Map<String, Object> body = target(chats, e.target(), ids);
            body.put("content", e.content());
            call(who, "PATCH", "/message", body);
        } else if (a instanceof DemoPlan.Delete d) {
            call(who, "DELETE", "/message", target(chats, d.target(), ids));
        } else if (a instanceof DemoPlan.Pin p) {
            call(who, "PUT", "/message/pin", target(chats, p.target(), ids));
        } else if (a instanceof DemoPlan.Read r) {
            call(who, "POST", "/message/read", target(chats, r.target(), ids));
        } else if (a instanceof DemoPlan.Favourite f) {
            call(who, "PUT", "/message/favorite", target(chats, f.target(), ids));
        } else if (a instanceof DemoPlan.Join j) {
            call(who, "POST", "/chat/join", Map.of("handle", chats.get(j.chat()).handle()));
        }
    }

    /** {@code {chatUUID, subID, messageID}} of a planned message ({@code ids} null: no messageID). */
    private static Map<String, Object> target(List<ChatInfo> chats, Ref ref, Map<Ref, Long> ids) {
        ChatInfo chat = chats.get(ref.chat());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chatUUID", chat.uuid());
        body.put("subID", chat.subIds().get(ref.sub()));
        if (ids != null) {
            Long id = ids.get(ref);
            if (id == null) throw new IllegalStateException("the plan refers to a message not posted yet: " + ref);
            body.put("messageID", id);
        }
        return body;
    }
}
