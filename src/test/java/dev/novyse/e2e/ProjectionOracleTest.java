package dev.novyse.e2e;

import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import dev.novyse.store.StoreWriter;
import dev.novyse.sync.ApplyStats;
import dev.novyse.sync.SyncResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static dev.novyse.e2e.E2e.As.msg;

/**
 * The projection oracle: random operation sequences over three accounts. Account A initializes at t0, random
 * operations and incremental syncs follow, and at t1 A's database must equal both a fresh initialize of the server
 * (the raw JSON) and a brand-new database initialized at t1. A second device of A (another session, its own store)
 * starts part way, acts as A too, syncs incrementally and must hold the same at t1. A sync right after must apply
 * nothing, and applying one update reply twice must leave the database as the first application left it.
 *
 * <p>Every sequence uses fresh accounts on one shared server. A failing sequence prints its seed; rerun just that
 * one with {@code -Dnovyse.e2e.seed=<seed>}. {@code -Dnovyse.e2e.sequences=N} changes the count (default 300).
 */
class ProjectionOracleTest {
    static final int SEQUENCES = Integer.getInteger("novyse.e2e.sequences", 300);
    static final Long ONLY_SEED = Long.getLong("novyse.e2e.seed");
    static final long BASE_SEED = Long.getLong("novyse.e2e.baseSeed", 20_261_123L);

    @TempDir
    static Path dir;
    static NovyseServer server;
    static RawApi api;
    static int accounts;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("server"));
        api = new RawApi(server.url());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** What the generator knows of the server, to pick mostly valid operations. */
    static final class ChatModel {
        final String uuid;
        final String type;
        String handle;
        final Set<Integer> members = new LinkedHashSet<>();
        final Set<Integer> admins = new LinkedHashSet<>();
        final List<Integer> subs = new ArrayList<>(List.of(0)); // every sub ever made, deleted ones too
        final Set<Integer> liveSubs = new LinkedHashSet<>(List.of(0));
        final Map<Integer, Long> count = new HashMap<>(Map.of(0, 0L));

        ChatModel(String uuid, String type, String handle) {
            this.uuid = uuid;
            this.type = type;
            this.handle = handle;
        }
    }

    static final String[] TEXTS = {"hi", "a, b, \"c\"", "line one\nline two", "emoji 🎉🔥 ok", "tab\there", "ünïcödé",
            "'single' and \\backslash", "   padded   ", "x".repeat(300)};
    static final String[] EMOJI = {"👍", "🎉", "❤️", "+1"};
    static final String[] FIELDS = {"name", "surname", "biography", "birthday", "color", "region", "country",
            "profilePictureUUID", "bannerPictureUUID"};

    final class Sequence {
        final long seed;
        final Random r;
        final List<E2e.As> who = new ArrayList<>();
        /** A's second device: another session of the same account, which also acts once it exists. */
        E2e.As secondDevice;
        final List<ChatModel> chats = new ArrayList<>();
        final List<String> log = new ArrayList<>();

        Sequence(long seed) {
            this.seed = seed;
            this.r = new Random(seed);
        }

        <T> T pick(List<T> l) {
            return l.get(r.nextInt(l.size()));
        }

        String text() {
            return pick(List.of(TEXTS)) + " #" + r.nextInt(1000);
        }

        void setUp() {
            int n = ++accounts;
            for (String s : List.of("a", "b", "c")) who.add(new E2e.As(api, api.signup("p" + n + s)));
            chats.add(chat(0, "GROUP", "Group " + n, "g" + n + "x", 1));
            chats.add(chat(0, "DM", null, null, 2));
            chats.add(chat(1, "CHANNEL", "Channel " + n, "c" + n + "x", 0));
            chats.add(chat(2, "FORUM", "Forum " + n, "f" + n + "x", 1));
            if (r.nextBoolean()) chats.add(chat(1, "DM", null, null, 2));
        }

        ChatModel chat(int creator, String type, String name, String handle, int other) {
            String uuid = who.get(creator).createChat(type, name, handle, who.get(other).uuid());
            ChatModel m = new ChatModel(uuid, type, handle);
            m.members.add(creator);
            m.members.add(other);
            if (!type.equals("DM")) m.admins.add(creator);
            log.add(who.get(creator).who().username() + " creates " + type + " " + uuid);
            return m;
        }

        /** One random operation by a random account; refusals are fine, server errors are not. */
        void randomOp() {
            int actor = r.nextInt(10) < 5 ? 0 : 1 + r.nextInt(2); // A acts half the time
            // What A does, it does from either of its devices once it has two: the server keeps one account's state.
            E2e.As as = actor == 0 && secondDevice != null && r.nextBoolean() ? secondDevice : who.get(actor);
            // Mostly a chat the actor is in and a message that exists; sometimes anything (refusals are tested too).
            List<ChatModel> mine = chats.stream().filter(m -> m.members.contains(actor)).toList();
            ChatModel c = mine.isEmpty() || r.nextInt(8) == 0 ? pick(chats) : pick(mine);
            List<Integer> withMessages = c.subs.stream().filter(x -> c.count.getOrDefault(x, 0L) > 0).toList();
            int sub = withMessages.isEmpty() || r.nextInt(10) == 0 ? pick(c.subs) : pick(withMessages);
            long max = c.count.getOrDefault(sub, 0L);
            long id = max == 0 ? 1 : 1 + r.nextInt((int) max);
            int kind = r.nextInt(112);
            String op;
            boolean ok;
            boolean inChat = true;
            if (kind < 25) {
                int target = r.nextInt(6) == 0 ? sub : pick(new ArrayList<>(c.liveSubs));
                String t = text();
                RawApi.Reply reply = as.call("POST", "/message", Map.of("chatUUID", c.uuid, "subID", target, "content", t));
                ok = reply.status() == 200;
                if (ok) c.count.merge(target, 1L, Long::sum);
                op = "send " + target + " " + Projection.q(t);
            } else if (kind < 32) {
                String t = text();
                ok = as.tryCall("PATCH", "/message", msg(c.uuid, sub, id, "content", t));
                op = "edit " + sub + "/" + id + " " + Projection.q(t);
            } else if (kind < 37) {
                ok = as.tryCall("DELETE", "/message", msg(c.uuid, sub, id));
                op = "delete " + sub + "/" + id;
            } else if (kind < 47) {
                boolean add = r.nextInt(3) > 0;
                String e = pick(List.of(EMOJI));
                ok = as.tryCall(add ? "PUT" : "DELETE", "/message/reaction", msg(c.uuid, sub, id, "reaction", e));
                op = (add ? "react " : "unreact ") + sub + "/" + id + " " + e;
            } else if (kind < 53) {
                boolean add = r.nextInt(3) > 0;
                ok = as.tryCall(add ? "PUT" : "DELETE", "/message/pin", msg(c.uuid, sub, id));
                op = (add ? "pin " : "unpin ") + sub + "/" + id;
            } else if (kind < 60) {
                ok = as.tryCall("POST", "/message/read", msg(c.uuid, sub, id));
                op = "read " + sub + "/" + id;
            } else if (kind < 66) {
                boolean add = r.nextInt(3) > 0;
                ok = as.tryCall(add ? "PUT" : "DELETE", "/message/favorite", msg(c.uuid, sub, id));
                op = (add ? "favorite " : "unfavorite ") + sub + "/" + id;
            } else if (kind < 70) {
                boolean add = r.nextInt(3) > 0;
                ok = add ? as.tryCall("PUT", "/chat/pin", Map.of("chatUUID", c.uuid, "position", r.nextInt(4)))
                        : as.tryCall("DELETE", "/chat/pin", Map.of("chatUUID", c.uuid));
                op = add ? "pin chat" : "unpin chat";
            } else if (kind < 75) {
                String key = pick(List.of("theme", "lang", "layout"));
                Object value = switch (r.nextInt(4)) {
                    case 0 -> text();
                    case 1 -> r.nextInt(100);
                    case 2 -> Map.of("nested", List.of(1, "two", true), "z", "last");
                    default -> null;
                };
                Map<String, Object> body = new HashMap<>();
                body.put("key", key);
                body.put("value", value);
                ok = as.tryCall("PUT", "/user/settings/preferences", body);
                op = "setting " + key + "=" + value;
                inChat = false;
            } else if (kind < 81) {
                Map<String, Object> body = new HashMap<>();
                for (int i = 0; i < 1 + r.nextInt(3); i++) {
                    String f = pick(List.of(FIELDS));
                    body.put(f, r.nextInt(5) == 0 ? "" : f + " " + text());
                }
                ok = as.tryCall("PATCH", "/user/profile", body);
                op = "profile " + body.keySet();
                inChat = false;
            } else if (kind < 85) {
                String name = "sub " + text();
                RawApi.Reply reply = as.call("POST", "/chat/sub/create", Map.of("chatUUID", c.uuid, "name", name));
                ok = reply.status() == 200;
                if (ok) {
                    int s = reply.data().path("id").asInt();
                    c.subs.add(s);
                    c.liveSubs.add(s);
                    c.count.put(s, 0L);
                }
                op = "create sub";
            } else if (kind < 88) {
                int s = pick(c.subs);
                ok = as.tryCall("PATCH", "/chat/sub/rename", Map.of("chatUUID", c.uuid, "id", Math.max(1, s), "name", "renamed " + text()));
                op = "rename sub " + s;
            } else if (kind < 90) {
                int s = pick(c.subs);
                ok = s > 0 && as.tryCall("DELETE", "/chat/sub/delete", Map.of("chatUUID", c.uuid, "id", s));
                if (ok) c.liveSubs.remove(s);
                op = "delete sub " + s;
            } else if (kind < 94) {
                if (c.handle == null || c.members.contains(actor)) {
                    op = "join (skipped)";
                    ok = false;
                } else {
                    ok = as.tryCall("POST", "/chat/join", Map.of("handle", c.handle));
                    if (ok) c.members.add(actor);
                    op = "join";
                }
            } else if (kind < 97) {
                ok = as.tryCall("POST", "/chat/leave", Map.of("chatUUID", c.uuid));
                if (ok) {
                    c.members.remove(actor);
                    c.admins.remove(actor);
                }
                op = "leave";
            } else if (kind < 100) {
                ok = as.tryCall("PATCH", "/chat/rename", Map.of("chatUUID", c.uuid, "name", "Renamed " + text()));
                op = "rename chat";
            } else {
                // Membership and moderation: mostly refused unless the actor owns or administers the chat.
                int subject = r.nextInt(3);
                String them = who.get(subject).uuid();
                Map<String, Object> body = Map.of("chatUUID", c.uuid, "userUUID", them);
                switch (kind - 100) {
                    case 0, 1 -> {
                        ok = as.tryCall("POST", "/chat/invite", Map.of("chatUUID", c.uuid, "userUUIDs", List.of(them)));
                        if (ok) c.members.add(subject);
                        op = "invite " + "abc".charAt(subject);
                    }
                    case 2, 3 -> {
                        ok = as.tryCall("POST", "/chat/kick", body);
                        if (ok) c.members.remove(subject);
                        op = "kick " + "abc".charAt(subject);
                    }
                    case 4 -> {
                        ok = as.tryCall("PUT", "/chat/ban", body);
                        if (ok) c.members.remove(subject);
                        op = "ban " + "abc".charAt(subject);
                    }
                    case 5 -> {
                        ok = as.tryCall("DELETE", "/chat/ban", body);
                        op = "unban " + "abc".charAt(subject);
                    }
                    case 6, 7 -> {
                        boolean grant = r.nextBoolean();
                        ok = as.tryCall(grant ? "PUT" : "DELETE", "/chat/admin", body);
                        op = (grant ? "grant admin to " : "revoke admin of ") + "abc".charAt(subject);
                    }
                    case 8 -> {
                        ok = as.tryCall("POST", "/chat/owner", body);
                        op = "hand over to " + "abc".charAt(subject);
                    }
                    case 9 -> {
                        ok = as.tryCall("PATCH", "/chat/description", Map.of("chatUUID", c.uuid, "description", text()));
                        op = "describe chat";
                    }
                    default -> {
                        String handle = "h" + seed % 100_000 + "x" + r.nextInt(1000);
                        ok = as.tryCall("PATCH", "/chat/handle", Map.of("chatUUID", c.uuid, "handle", handle));
                        if (ok) c.handle = handle;
                        op = "change handle";
                    }
                }
            }
            log.add("abc".charAt(actor) + " " + op + (!inChat ? "" : " in " + c.type + " " + c.uuid.substring(0, 8))
                    + (ok ? "" : " (refused)"));
        }

        void ops(int n) {
            for (int i = 0; i < n; i++) randomOp();
        }

        void run() {
            setUp();
            E2e.As a = who.get(0);
            int page = 2 + r.nextInt(8);
            log.add("page limit " + page);
            ops(3 + r.nextInt(6));
            E2e.Client cb = null;
            try (E2e.Client ca = new E2e.Client(server.url(), a.who().token(), dir.resolve("s" + seed + "-a.db"), page)) {
                ca.sync();
                log.add("A initialized (t0)");
                int batches = 1 + r.nextInt(3);
                // A's second device (its own session and store) starts after one of the batches and syncs after
                // each later one; at t1 it must hold what the first device holds.
                int secondFrom = r.nextInt(batches);
                for (int b = 0; b < batches; b++) {
                    ops(3 + r.nextInt(6));
                    if (b == batches - 1 && r.nextBoolean()) {
                        applyTwice(ca);
                        log.add("A applied one update reply twice");
                    }
                    ca.sync();
                    log.add("A synced");
                    if (b == secondFrom) {
                        secondDevice = new E2e.As(api, signIn(a.who()));
                        cb = new E2e.Client(server.url(), secondDevice.who().token(), dir.resolve("s" + seed + "-a2.db"), page);
                        log.add("A's second device signed in");
                    }
                    if (cb != null) cb.sync();
                }
                Projection expected = Projection.server(server.url(), a.who().token());
                Projection.assertSame(expected, ca.projection(), "A (incremental) vs the server at t1");
                Projection.assertSame(expected, cb.projection(), "A's second device (incremental) vs the server at t1");
                assertIntact(cb.file, "A's second device");
                try (E2e.Client fresh = new E2e.Client(server.url(), a.who().token(), dir.resolve("s" + seed + "-fresh.db"), page)) {
                    fresh.sync();
                    Projection.assertSame(fresh.projection(), ca.projection(), "A (incremental) vs a fresh database at t1");
                    assertIntact(fresh.file, "a fresh database at t1");
                }
                Projection before = ca.projection();
                List<String> cursors = Projection.cursors(ca.file);
                SyncResult again = ca.sync();
                if (again.messages() + again.chats() + again.chatEvents() + again.profileEvents() + again.userEvents()
                        + again.removedChats() != 0) {
                    throw new AssertionError("a sync right after a sync applied something: " + again);
                }
                Projection.assertSame(before, ca.projection(), "a sync right after a sync");
                assertIntact(ca.file, "A (incremental)");
                if (!cursors.equals(Projection.cursors(ca.file))) {
                    throw new AssertionError("a sync right after a sync moved cursors: " + cursors + " -> " + Projection.cursors(ca.file));
                }
            } finally {
                if (cb != null) cb.close();
            }
        }

        /** A new session of {@code account} (a second device signing in). */
        RawApi.Account signIn(RawApi.Account account) {
            RawApi.Reply reply = api.post("/signin/password", null, Map.of("username", account.username(),
                    "password", "correct horse"));
            if (reply.status() != 200) throw new IllegalStateException("sign-in failed: " + reply.text());
            return new RawApi.Account(account.username(), reply.body().get("token").asText(), account.uuid(),
                    reply.body().get("session_id").asText());
        }

        /** SQLite's integrity, foreign keys and the full-text index against its content table. */
        void assertIntact(java.nio.file.Path file, String which) {
            String check = Projection.integrityCheck(file);
            if (!check.equals("ok")) throw new AssertionError(which + ": " + check + "\n" + String.join("\n", log));
        }

        /** Fetches one update reply and applies it twice, in two transactions: the second must change nothing. */
        void applyTwice(E2e.Client ca) {
            UpdateRequest request = ca.db.updateRequest();
            UpdateData data = ca.api.update(request, 1000);
            ca.db.inTransaction(tx -> {
                ca.engine.applier().applyUpdate(new StoreWriter(tx), data, new ApplyStats());
                return null;
            });
            Projection once = ca.projection();
            List<String> cursors = Projection.cursors(ca.file);
            ca.db.inTransaction(tx -> {
                ca.engine.applier().applyUpdate(new StoreWriter(tx), data, new ApplyStats());
                return null;
            });
            Projection.assertSame(once, ca.projection(), "the same update reply applied twice");
            if (!cursors.equals(Projection.cursors(ca.file))) {
                throw new AssertionError("the second application moved cursors");
            }
        }
    }

    @Test
    void randomSequencesProjectTheSameWayIncrementallyAndFresh() {
        List<String> failures = new ArrayList<>();
        Map<String, Integer> kinds = new LinkedHashMap<>();
        int runs = ONLY_SEED != null ? 1 : SEQUENCES;
        long t = System.nanoTime();
        for (int i = 0; i < runs; i++) {
            long seed = ONLY_SEED != null ? ONLY_SEED : BASE_SEED + i;
            Sequence s = new Sequence(seed);
            try {
                s.run();
            } catch (AssertionError | RuntimeException e) {
                String m = String.valueOf(e.getMessage());
                String head = m.length() > 3000 ? m.substring(0, 3000) + "..." : m;
                String firstDiff = m.lines().filter(l -> l.startsWith("  - ") || l.startsWith("  + ")).findFirst()
                        .map(l -> l.substring(0, 3) + l.substring(4).replaceAll(" [0-9a-f-]{36}", " <id>").replaceAll("\"[^\"]*\"", "\"..\"").replaceAll("[0-9]+", "N"))
                        .orElse(m.lines().findFirst().orElse(""));
                kinds.merge(m.lines().findFirst().orElse("") + " | " + firstDiff, 1, Integer::sum);
                if (failures.size() < 3) {
                    failures.add("seed " + seed + ": " + e + "\n" + head + "\noperations:\n  " + String.join("\n  ", s.log));
                } else {
                    failures.add("seed " + seed);
                }
            }
        }
        System.out.printf("projection oracle: %d sequences in %.1fs, %d failed%n", runs, (System.nanoTime() - t) / 1e9,
                failures.size());
        if (!failures.isEmpty()) {
            StringBuilder sb = new StringBuilder(failures.size() + " of " + runs + " sequences failed. By kind:\n");
            kinds.forEach((k, v) -> sb.append("  ").append(v).append(" x ").append(k).append('\n'));
            sb.append("Failing seeds: ").append(failures.stream().map(f -> f.lines().findFirst().orElse("")
                    .replaceAll("seed (\\d+).*", "$1")).toList()).append("\n\n");
            failures.stream().limit(3).forEach(f -> sb.append(f).append("\n\n"));
            throw new AssertionError(sb.toString());
        }
    }
}
