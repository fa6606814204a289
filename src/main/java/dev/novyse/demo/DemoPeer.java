package dev.novyse.demo;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.demo.DemoPlan.ChatSpec;
import dev.novyse.demo.DemoWorkspace.ChatInfo;
import dev.novyse.demo.DemoWorkspace.Member;
import io.socket.client.IO;
import io.socket.client.Socket;
import org.json.JSONObject;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * Other people who keep the demo alive: a daemon thread that acts as a few members of the seeded workspace through
 * the same REST API and live socket any client uses. Every few seconds one of them looks at a chat (the latest
 * messages, through {@code GET /message/history}), then answers the demo account when it spoke last, or posts
 * (sometimes a reply, sometimes mentioning @you), reacts, or edits one of its own messages. Before posting it sends
 * {@code chat:member:activity TYPING} on its socket, so the demo shows someone typing.
 *
 * <p>A failed request or a lost connection never ends the demo: the peer logs one line (repeats of the same problem
 * are not logged again) and carries on with its next turn.
 */
public final class DemoPeer implements AutoCloseable {
    /** The members the peer acts as. */
    static final List<String> ACTORS = List.of("mara", "kenji");

    /**
     * Timing of the peer: a pause of {@code minPause}..{@code maxPause} between turns, {@code typing} between the
     * typing notice and the message.
     */
    public record Options(Duration minPause, Duration maxPause, Duration typing) {
        public Options {
            if (minPause.isNegative() || maxPause.compareTo(minPause) < 0 || typing.isNegative()) {
                throw new IllegalArgumentException("bad peer timing");
            }
        }

        public static Options defaults() {
            return new Options(Duration.ofSeconds(3), Duration.ofSeconds(9), Duration.ofMillis(1800));
        }
    }

    /** What the peer did so far (for tests and the headless status line). */
    public record Stats(long turns, long posts, long reactions, long edits, long typing, long failures) {
    }

    /** One member the peer acts as, with its socket and the chats it can post in. */
    private record Actor(Member member, Socket socket, Map<String, String> auth, List<Integer> chats,
                         AtomicBoolean refreshToken) {
    }

    private final List<Actor> actors = new ArrayList<>();
    private final List<ChatInfo> chats;
    private final List<ChatSpec> specs = DemoPlan.chats();
    private final String you;
    private final Random random;
    private final Options options;
    private final Consumer<String> log;
    private final Thread thread;
    private final CountDownLatch stop = new CountDownLatch(1);
    private final Set<String> answered = new HashSet<>();
    private final Set<String> edited = new HashSet<>();
    private final AtomicLong turns = new AtomicLong(), posts = new AtomicLong(), reactions = new AtomicLong(),
            edits = new AtomicLong(), typing = new AtomicLong(), failures = new AtomicLong();
    private String lastProblem;

    /**
     * A peer for the seeded {@code workspace} on {@code server}; {@code seed} makes its choices repeatable,
     * {@code log} receives its one-line problem reports. Nothing happens before {@link #start()}.
     */
    public DemoPeer(URI server, DemoWorkspace.Result workspace, long seed, Options options, Consumer<String> log) {
        this.chats = workspace.chats();
        this.you = workspace.you().uuid();
        this.random = new Random(seed);
        this.options = options;
        this.log = log;
        for (String username : ACTORS) {
            Member m = workspace.member(username);
            List<Integer> postable = new ArrayList<>();
            for (int c = 0; c < chats.size(); c++) {
                ChatSpec spec = specs.get(c);
                // Channels stay quiet: announcements every few seconds would not look like one.
                if (chats.get(c).members().contains(username) && !spec.onlyOwnerPosts()) {
                    postable.add(c);
                }
            }
            Map<String, String> auth = new ConcurrentHashMap<>();
            auth.put("token", m.tokens().current());
            IO.Options io = IO.Options.builder().setTransports(new String[]{"websocket", "polling"})
                    .setReconnection(true).setReconnectionDelay(1_000).setReconnectionDelayMax(10_000)
                    .setAuth(auth).build();
            Socket socket = IO.socket(server, io);
            AtomicBoolean refresh = new AtomicBoolean();
            // A refused handshake (an expired token after a long demo) is not retried by the library: the peer
            // refreshes the token and connects again on its next turn.
            socket.on(Socket.EVENT_CONNECT_ERROR, a -> refresh.set(true));
            actors.add(new Actor(m, socket, auth, List.copyOf(postable), refresh));
        }
        this.thread = DaemonThreads.create("novyse-demo-peer", this::run);
    }

    private static DemoPlan.Person person(String username) {
        return DemoPlan.PEOPLE.stream().filter(p -> p.username().equals(username)).findFirst().orElseThrow();
    }

    /** Starts the peer's thread, which connects the sockets: the caller goes on at once (the demo opens its screen). */
    public DemoPeer start() {
        thread.start();
        return this;
    }

    public Stats stats() {
        return new Stats(turns.get(), posts.get(), reactions.get(), edits.get(), typing.get(), failures.get());
    }

    /** Stops the thread (waiting for a turn in progress, at most a few seconds) and closes the sockets. Idempotent. */
    @Override
    public void close() {
        stop.countDown();
        if (thread.isAlive() && Thread.currentThread() != thread) {
            try {
                thread.join(3_000);
                if (thread.isAlive()) {
                    thread.interrupt();
                    thread.join(2_000);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Actor a : actors) {
            a.socket().off();
            a.socket().close();
        }
    }

    /** Sleeps unless stopped; false when the peer should end. */
    private boolean pause(Duration d) {
        try {
            return !stop.await(Math.max(0, d.toMillis()), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            return false;
        }
    }

    private void run() {
        for (Actor a : actors) {
            a.socket().connect();
        }
        while (true) {
            long span = options.maxPause().toMillis() - options.minPause().toMillis();
            Duration wait = options.minPause().plusMillis(span <= 0 ? 0 : (long) (random.nextDouble() * span));
            if (!pause(wait)) return;
            try {
                turn();
                lastProblem = null;
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                String problem = "demo peer: " + oneLine(e);
                if (!problem.equals(lastProblem)) {
                    log.accept(problem);
                }
                lastProblem = problem;
            }
        }
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    /** A chat to act in: the demo account's DM and the team chat come up most. */
    private int pickChat(Actor actor) {
        List<Integer> weighted = new ArrayList<>();
        for (int c : actor.chats()) {
            boolean lively = specs.get(c).type().equals("DM") || "Platform team".equals(specs.get(c).name());
            for (int k = 0; k < (lively ? 4 : 1); k++) weighted.add(c);
        }
        return weighted.get(random.nextInt(weighted.size()));
    }

    private void turn() {
        turns.incrementAndGet();
        Actor actor = actors.get(random.nextInt(actors.size()));
        if (actor.refreshToken().getAndSet(false)) {
            actor.auth().put("token", actor.member().tokens().refresh());
            actor.socket().connect();
        }
        int c = pickChat(actor);
        ChatInfo chat = chats.get(c);
        int subIndex = random.nextInt(chat.subIds().size());
        int sub = chat.subIds().get(subIndex);
        DemoText.Topic topic = specs.get(c).subs().get(subIndex).topic();
        List<JsonNode> recent = new ArrayList<>();
        JsonNode history = actor.member().api().get("/message/history",
                Map.of("chatUUID", chat.uuid(), "subID", Integer.toString(sub), "limit", "12")).path("messages");
        history.forEach(m -> {
            if (!m.path("deleted").asBoolean(false)) recent.add(m);
        });
        List<String> names = new ArrayList<>();
        for (String u : chat.members()) {
            if (!u.equals(actor.member().username()) && !u.equals(DemoWorkspace.USERNAME)) {
                names.add(person(u).firstName());
            }
        }
        String me = actor.member().uuid();
        JsonNode latest = recent.isEmpty() ? null : recent.get(recent.size() - 1);
        if (latest != null && you.equals(latest.path("userUUID").asText())
                && answered.add(chat.uuid() + "/" + sub + "/" + latest.path("id").asLong())) {
            // The demo account just said something here: answer it, as a person would.
            post(actor, chat, sub, DemoText.answer(topic, random, names), latest.path("id").asLong());
            return;
        }
        int roll = random.nextInt(100);
        List<JsonNode> others = recent.stream().filter(m -> !me.equals(m.path("userUUID").asText())).toList();
        List<JsonNode> own = recent.stream().filter(m -> me.equals(m.path("userUUID").asText())
                && !edited.contains(chat.uuid() + "/" + sub + "/" + m.path("id").asLong())).toList();
        if (roll < 25 && !others.isEmpty()) {
            react(actor, chat, sub, others.get(random.nextInt(others.size())));
        } else if (roll < 33 && !own.isEmpty()) {
            JsonNode m = own.get(random.nextInt(own.size()));
            edited.add(chat.uuid() + "/" + sub + "/" + m.path("id").asLong());
            actor.member().api().patch("/message", Map.of("chatUUID", chat.uuid(), "subID", sub,
                    "messageID", m.path("id").asLong(), "content", DemoText.edit(m.path("content").asText(""), random)));
            edits.incrementAndGet();
        } else if (roll < 43) {
            typing(actor, chat); // started typing, then thought better of it
        } else {
            String text;
            Long replyTo = null;
            int kind = random.nextInt(100);
            if (kind < 15) {
                text = DemoText.mention(topic, random, names);
            } else if (kind < 35 && !recent.isEmpty()) {
                replyTo = recent.get(random.nextInt(recent.size())).path("id").asLong();
                text = DemoText.answer(topic, random, names);
            } else {
                text = DemoText.message(topic, random, names);
            }
            post(actor, chat, sub, text, replyTo);
        }
    }

    private void typing(Actor actor, ChatInfo chat) {
        if (actor.socket().connected()) {
            actor.socket().emit("chat:member:activity", new JSONObject().put("chatUUID", chat.uuid()).put("action", "TYPING"));
            typing.incrementAndGet();
        }
    }

    private void post(Actor actor, ChatInfo chat, int sub, String text, Long replyTo) {
        typing(actor, chat);
        if (!pause(options.typing())) return;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("chatUUID", chat.uuid());
        body.put("subID", sub);
        body.put("content", text);
        body.put("tempId", "peer-" + java.util.UUID.randomUUID());
        if (replyTo != null) {
            body.put("replyTos", List.of(Map.of("chatUUID", chat.uuid(), "subID", sub, "messageID", replyTo)));
        }
        actor.member().api().post("/message", body);
        posts.incrementAndGet();
    }

    private void react(Actor actor, ChatInfo chat, int sub, JsonNode message) {
        String me = actor.member().uuid();
        Set<String> mine = new HashSet<>();
        message.path("reactions").forEach(r -> {
            if (me.equals(r.path("userUUID").asText())) mine.add(r.path("reaction").asText());
        });
        String emoji = DemoText.REACTIONS[random.nextInt(DemoText.REACTIONS.length)];
        if (mine.contains(emoji)) return;
        actor.member().api().put("/message/reaction", Map.of("chatUUID", chat.uuid(), "subID", sub,
                "messageID", message.path("id").asLong(), "reaction", emoji));
        reactions.incrementAndGet();
    }
}
