package dev.novyse.demo;

import dev.novyse.demo.DemoText.Topic;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * What the demo workspace holds, decided before any request is sent: the people, the chats, and one timeline of
 * everything that happens in them over the past days (posts, replies, reactions, edits, deletions, pins, reads,
 * favourites). Pure and deterministic: the same seed and the same "now" give the same plan, so a seeded demo is
 * reproducible and the plan can be tested without a server.
 */
final class DemoPlan {
    /** Index of the demo account in {@link #PEOPLE}. */
    static final int YOU = 0;

    record Person(String username, String name, String surname, String biography) {
        String firstName() {
            return name;
        }
    }

    static final List<Person> PEOPLE = List.of(
            new Person("you", "You", null, "The demo account. Everything here is throw-away."),
            new Person("mara", "Mara", "Lindqvist", "Backend lead. Coffee first ☕"),
            new Person("kenji", "Kenji", "Watanabe", "SRE · 東京 → Berlin"),
            new Person("priya", "Priya", "Raman", "Keeps the community forum tidy."),
            new Person("tomas", "Tomás", "Herrera", "Frontend on weekdays, mountains on weekends ⛰️"),
            new Person("amara", "Amara", "Okafor", "Product. Asks “why” a lot."),
            new Person("zoe", "Zoë", "Novak", "designer. types in lowercase."));

    /**
     * One sub of a chat (sub 0 first). {@code unread}: how many of its last messages the demo account has not read
     * (none of them its own); {@code mention}: one of those mentions @you. {@code burst}: the most messages in one
     * burst of conversation.
     */
    record SubSpec(String name, Topic topic, int messages, int unread, boolean mention, int burst) {
    }

    record ChatSpec(String type, String name, String handle, String description, int owner, List<Integer> members,
                    List<SubSpec> subs) {
        /** Everyone in the chat at creation, the owner first. */
        List<Integer> everyone() {
            List<Integer> all = new ArrayList<>();
            all.add(owner);
            for (int m : members) {
                if (m != owner) all.add(m);
            }
            return all;
        }

        boolean onlyOwnerPosts() {
            return type.equals("CHANNEL");
        }
    }

    /** The {@code index}-th message (from 0) of sub {@code sub} (an index into the chat's subs) of chat {@code chat}. */
    record Ref(int chat, int sub, int index) {
    }

    /** Something one person does at one instant; {@code actor} indexes {@link #PEOPLE}. */
    sealed interface Action permits Post, OnMessage, Join {
        Instant at();

        int actor();

        /** The same action at another instant. */
        Action at(Instant at);
    }

    /** An action about one message, which must be posted before it. */
    sealed interface OnMessage extends Action permits React, Edit, Delete, Pin, Read, Favourite {
        Ref target();
    }

    record Post(Instant at, int actor, Ref ref, String content, Ref replyTo) implements Action {
        @Override
        public Action at(Instant when) {
            return new Post(when, actor, ref, content, replyTo);
        }
    }

    record React(Instant at, int actor, Ref target, String emoji) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new React(when, actor, target, emoji);
        }
    }

    record Edit(Instant at, int actor, Ref target, String content) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new Edit(when, actor, target, content);
        }
    }

    record Delete(Instant at, int actor, Ref target) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new Delete(when, actor, target);
        }
    }

    record Pin(Instant at, int actor, Ref target) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new Pin(when, actor, target);
        }
    }

    record Read(Instant at, int actor, Ref target) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new Read(when, actor, target);
        }
    }

    record Favourite(Instant at, int actor, Ref target) implements OnMessage {
        @Override
        public Action at(Instant when) {
            return new Favourite(when, actor, target);
        }
    }

    record Join(Instant at, int actor, int chat) implements Action {
        @Override
        public Action at(Instant when) {
            return new Join(when, actor, chat);
        }
    }

    /** A chat the demo account pins to the top of its list. */
    record ChatPin(int chat, int position) {
    }

    static List<ChatSpec> chats() {
        return List.of(
                new ChatSpec("DM", null, null, null, YOU, List.of(1),
                        List.of(new SubSpec("general", Topic.FRIEND, 320, 0, false, 14))),
                new ChatSpec("DM", null, null, null, 2, List.of(YOU),
                        List.of(new SubSpec("general", Topic.FRIEND, 160, 2, false, 10))),
                new ChatSpec("GROUP", "Platform team", null, "Backend, SRE and the release train", 1,
                        List.of(YOU, 2, 3, 5, 6),
                        List.of(new SubSpec("general", Topic.TEAM, 900, 9, true, 18))),
                new ChatSpec("GROUP", "Weekend hikes ⛰️", null, null, 4, List.of(YOU, 3, 6),
                        List.of(new SubSpec("general", Topic.HIKING, 260, 0, false, 12))),
                new ChatSpec("GROUP", "日本語 practice", null, "毎日少しずつ", 2, List.of(YOU, 4),
                        List.of(new SubSpec("general", Topic.NIHONGO, 180, 3, false, 8))),
                new ChatSpec("CHANNEL", "Release notes", "releases", "Announcements only", 1,
                        List.of(YOU, 2, 3, 4, 6),
                        List.of(new SubSpec("general", Topic.RELEASES, 40, 1, false, 1))),
                new ChatSpec("FORUM", "Novyse community", "community", "Questions, ideas and show-and-tell", 3,
                        List.of(YOU, 1, 2, 4, 6),
                        List.of(new SubSpec("general", Topic.GENERAL, 250, 0, false, 10),
                                new SubSpec("help", Topic.HELP, 380, 4, true, 10),
                                new SubSpec("ideas", Topic.IDEAS, 200, 0, false, 8),
                                new SubSpec("show-and-tell", Topic.SHOW, 120, 2, false, 6),
                                new SubSpec("off-topic", Topic.OFFTOPIC, 200, 0, false, 12))));
    }

    /** Chats that someone joins through their handle once the workspace exists: (chat, person). */
    static final int[][] JOINS = {{5, 5}, {6, 5}};

    static final List<ChatPin> CHAT_PINS = List.of(new ChatPin(2, 0), new ChatPin(0, 1));

    final List<ChatSpec> chats;
    /** When the workspace was created; every chat and sub exists from then on. */
    final Instant start;
    /** Everything after creation, in the order it happens (strictly increasing instants). */
    final List<Action> timeline;

    private DemoPlan(List<ChatSpec> chats, Instant start, List<Action> timeline) {
        this.chats = chats;
        this.start = start;
        this.timeline = timeline;
    }

    /** The total number of messages the plan posts. */
    int messageCount() {
        return (int) timeline.stream().filter(a -> a instanceof Post).count();
    }

    static final int DAYS = 6;

    /**
     * Builds the plan for a workspace whose history spans the {@link #DAYS} days before {@code now}; day and night
     * follow {@code zone} (conversations happen in the daytime of whoever watches the demo).
     */
    static DemoPlan build(long seed, Instant now, ZoneId zone) {
        List<ChatSpec> chats = chats();
        Instant start = now.minus(Duration.ofDays(DAYS)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        Instant first = start.plus(Duration.ofHours(1));
        Instant last = now.minus(Duration.ofMinutes(15));
        Instant actionsEnd = now.minus(Duration.ofMinutes(2));
        List<Action> actions = new ArrayList<>();
        for (int[] join : JOINS) {
            actions.add(new Join(start.plus(Duration.ofMinutes(10 + join[0])), join[1], join[0]));
        }
        for (int c = 0; c < chats.size(); c++) {
            ChatSpec chat = chats.get(c);
            for (int s = 0; s < chat.subs().size(); s++) {
                Random r = new Random(seed * 1_000_003L + c * 101L + s);
                planSub(actions, r, chats, c, s, first, last, actionsEnd, zone);
            }
        }
        Random r = new Random(seed ^ 0x5DEECE66DL);
        planFavourites(actions, r, chats, actionsEnd);
        // Stable sort: actions planned at the same instant keep their planned order. Then make every instant
        // unique, so each request of the seeding gets a distinct, increasing server time.
        actions.sort(Comparator.comparing(Action::at));
        List<Action> timeline = new ArrayList<>(actions.size());
        Instant previous = Instant.MIN;
        for (Action a : afterTheirMessages(actions)) {
            Instant at = a.at().isAfter(previous) ? a.at() : previous.plusMillis(1);
            timeline.add(at.equals(a.at()) ? a : a.at(at));
            previous = at;
        }
        return new DemoPlan(chats, start, List.copyOf(timeline));
    }

    /** Message instants in bursts of conversation, mostly in the daytime, sorted. */
    private static List<Instant> times(Random r, int n, int burst, Instant first, Instant last, ZoneId zone) {
        List<Instant> out = new ArrayList<>(n);
        long span = Duration.between(first, last).getSeconds();
        while (out.size() < n) {
            int size = Math.min(n - out.size(), 1 + r.nextInt(burst));
            Instant t = null;
            for (int attempt = 0; attempt < 6; attempt++) {
                t = first.plusSeconds((long) (r.nextDouble() * span));
                int hour = t.atZone(zone).getHour();
                if (hour >= 8) break; // the rest of the night stays quiet, unless six tries all land in it
            }
            for (int i = 0; i < size; i++) {
                out.add(t.isAfter(last) ? last : t);
                t = t.plusSeconds(8 + (long) (-Math.log(1 - r.nextDouble()) * 70));
            }
        }
        out.sort(null);
        return out;
    }

    /**
     * The sorted actions with every action that names a message (a reaction, an edit, a read, a reply…) moved, if
     * need be, to just after that message's post. Instants computed independently can tie or cross (clamped
     * ones, bursts that overlap), and a request naming a message must never be sent before the message exists.
     */
    private static List<Action> afterTheirMessages(List<Action> sorted) {
        java.util.Set<Ref> posted = new java.util.HashSet<>();
        java.util.Map<Ref, List<Action>> waiting = new java.util.HashMap<>();
        List<Action> out = new ArrayList<>(sorted.size());
        java.util.ArrayDeque<Action> ready = new java.util.ArrayDeque<>();
        for (Action next : sorted) {
            ready.add(next);
            while (!ready.isEmpty()) {
                Action a = ready.poll();
                Ref needs = a instanceof Post p ? p.replyTo() : a instanceof OnMessage m ? m.target() : null;
                if (needs != null && !posted.contains(needs)) {
                    waiting.computeIfAbsent(needs, k -> new ArrayList<>()).add(a);
                    continue;
                }
                out.add(a);
                if (a instanceof Post p && posted.add(p.ref())) {
                    List<Action> w = waiting.remove(p.ref());
                    if (w != null) ready.addAll(w);
                }
            }
        }
        if (!waiting.isEmpty()) throw new IllegalStateException("the plan names messages it never posts: " + waiting.keySet());
        return out;
    }

    private static Instant clamp(Instant t, Instant max) {
        return t.isAfter(max) ? max : t;
    }

    private static void planSub(List<Action> actions, Random r, List<ChatSpec> chats, int c, int s, Instant first,
                                Instant last, Instant actionsEnd, ZoneId zone) {
        ChatSpec chat = chats.get(c);
        SubSpec sub = chat.subs().get(s);
        List<Integer> everyone = chat.everyone();
        for (int[] join : JOINS) {
            if (join[0] == c && !everyone.contains(join[1])) everyone.add(join[1]);
        }
        int n = sub.messages();
        List<Instant> at = times(r, n, sub.burst(), first, last, zone);
        int tailFrom = n - sub.unread();
        int mentionAt = sub.mention() ? tailFrom + sub.unread() / 2 : -1;
        // Messages that get deleted later: never in the last stretch, never a target of anything else.
        Set<Integer> deleted = new HashSet<>();
        for (int i = 5; i < n - 20; i++) {
            if (r.nextInt(100) < 1) deleted.add(i);
        }
        int[] authors = new int[n];
        String[] contents = new String[n];
        int previous = -1;
        for (int i = 0; i < n; i++) {
            int author;
            if (chat.onlyOwnerPosts()) {
                author = chat.owner();
            } else {
                do {
                    author = everyone.get(r.nextInt(everyone.size()));
                } while ((author == previous && r.nextInt(100) < 65) || (i >= tailFrom && author == YOU));
            }
            previous = author;
            authors[i] = author;
            List<String> names = new ArrayList<>();
            for (int m : everyone) {
                if (m != author && m != YOU) names.add(PEOPLE.get(m).firstName());
            }
            Ref replyTo = null;
            String content;
            if (i == mentionAt) {
                content = DemoText.mention(sub.topic(), r, names);
            } else if (i > 0 && !chat.onlyOwnerPosts() && r.nextInt(100) < 12) {
                int target = Math.max(0, i - 1 - r.nextInt(6));
                while (target > 0 && deleted.contains(target)) target--;
                replyTo = deleted.contains(target) ? null : new Ref(c, s, target);
                content = replyTo == null ? DemoText.message(sub.topic(), r, names) : DemoText.answer(sub.topic(), r, names);
            } else {
                content = DemoText.message(sub.topic(), r, names);
            }
            contents[i] = content;
            actions.add(new Post(at.get(i), author, new Ref(c, s, i), content, replyTo));
        }
        for (int i = 0; i < n; i++) {
            Ref ref = new Ref(c, s, i);
            Instant t = at.get(i);
            if (deleted.contains(i)) {
                actions.add(new Delete(clamp(t.plusSeconds(40 + r.nextInt(260)), actionsEnd), authors[i], ref));
                continue;
            }
            if (i < n - 3 && r.nextInt(100) < 3) {
                actions.add(new Edit(clamp(t.plusSeconds(30 + r.nextInt(1200)), actionsEnd), authors[i], ref,
                        DemoText.edit(contents[i], r)));
            }
            int reactChance = chat.onlyOwnerPosts() ? 80 : 15;
            if (r.nextInt(100) < reactChance) {
                int count = 1 + (r.nextInt(100) < 35 ? 1 + r.nextInt(2) : 0);
                Set<String> used = new HashSet<>();
                for (int k = 0; k < count; k++) {
                    int who = everyone.get(r.nextInt(everyone.size()));
                    String emoji = DemoText.REACTIONS[Math.min(r.nextInt(DemoText.REACTIONS.length),
                            r.nextInt(DemoText.REACTIONS.length))]; // skewed to the first (👍, ❤️, 😂)
                    if (who == authors[i] || !used.add(who + emoji)) continue;
                    if (i >= tailFrom && who == YOU) continue; // the account has not seen its unread messages
                    actions.add(new React(clamp(t.plusSeconds(10 + r.nextInt(7200)), actionsEnd), who, ref, emoji));
                }
            }
        }
        if (!chat.type().equals("DM") || r.nextBoolean()) {
            int pins = chat.type().equals("DM") ? 1 : 2 + r.nextInt(2);
            for (int k = 0; k < pins && n > 30; k++) {
                int i = r.nextInt(n - 25);
                if (deleted.contains(i)) continue;
                int who = chat.onlyOwnerPosts() ? chat.owner() : everyone.get(r.nextInt(everyone.size()));
                actions.add(new Pin(clamp(at.get(i).plusSeconds(600 + r.nextInt(3600)), actionsEnd), who, new Ref(c, s, i)));
            }
        }
        planReads(actions, r, c, s, everyone, at, tailFrom, actionsEnd);
    }

    /**
     * Read watermarks: everyone reads up to the last message before each long pause; the demo account never past
     * its unread tail, and at the end exactly up to it (a watermark only moves forward, so the last read decides).
     */
    private static void planReads(List<Action> actions, Random r, int c, int s, List<Integer> everyone,
                                  List<Instant> at, int tailFrom, Instant actionsEnd) {
        int n = at.size();
        for (int i = 0; i < n; i++) {
            boolean pauseAfter = i == n - 1 || Duration.between(at.get(i), at.get(i + 1)).toMinutes() > 240;
            if (!pauseAfter) continue;
            for (int who : everyone) {
                if (who == YOU && i >= tailFrom) continue;
                if (who != YOU && r.nextInt(100) >= 35) continue;
                Instant t = at.get(i).plusSeconds(30 + r.nextInt(1800));
                if (i + 1 < n && !t.isBefore(at.get(i + 1))) t = at.get(i + 1).minusMillis(500);
                actions.add(new Read(clamp(t, actionsEnd), who, new Ref(c, s, i)));
            }
        }
        if (tailFrom > 0 && tailFrom < n) {
            Instant t = clamp(at.get(tailFrom - 1).plusSeconds(20), actionsEnd);
            if (tailFrom < n && !t.isBefore(at.get(tailFrom))) t = at.get(tailFrom).minusMillis(1);
            actions.add(new Read(t, YOU, new Ref(c, s, tailFrom - 1)));
        }
    }

    /** A few messages the demo account keeps as favourites. */
    private static void planFavourites(List<Action> actions, Random r, List<ChatSpec> chats, Instant actionsEnd) {
        int[][] picks = {{2, 0}, {2, 0}, {0, 0}, {6, 1}};
        for (int[] pick : picks) {
            int n = chats.get(pick[0]).subs().get(pick[1]).messages();
            Ref ref = new Ref(pick[0], pick[1], r.nextInt(n - 30));
            if (isDeleted(actions, ref)) continue;
            actions.add(new Favourite(actionsEnd.minusSeconds(60 + r.nextInt(600)), YOU, ref));
        }
    }

    private static boolean isDeleted(List<Action> actions, Ref ref) {
        for (Action a : actions) {
            if (a instanceof Delete d && d.target().equals(ref)) return true;
        }
        return false;
    }
}
