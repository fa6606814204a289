package dev.novyse.demo;

import java.util.List;
import java.util.Random;

/**
 * Phrase tables for the demo's messages. Every choice comes from the caller's {@link Random}, so one seed always
 * writes the same words. The mix is chosen to exercise a terminal client: UTF-8 accents, emoji, CJK wide
 * characters, multi-line messages with code blocks and lists, and long paragraphs that must wrap.
 */
final class DemoText {
    private DemoText() {}

    /** What a chat talks about; each topic has its own lines, questions and answers. */
    enum Topic { TEAM, FRIEND, HIKING, RELEASES, HELP, IDEAS, SHOW, OFFTOPIC, NIHONGO, GENERAL }

    private record Table(String[] lines, String[] questions, String[] answers, String[] things) {
    }

    private static final String[] EMOJI = {"🙂", "😄", "🎉", "🚀", "👍", "🙏", "🔥", "☕", "😅", "🤔", "✅", "👀", "🌧️", "⛰️", "🍜"};

    static final String[] REACTIONS = {"👍", "❤️", "😂", "🎉", "👀", "🙏", "🔥", "✅", "😮", "🚀"};

    private static final String[] SHORT = {"haha", "nice!", "on it", "+1", "thanks!", "agreed", "ok 👍", "lol",
            "sounds good", "wait, really?", "yes!", "same here", "👀", "🙏", "good catch", "makes sense", "brb",
            "100%", "ah, I see", "done ✅", "ça marche", "sí, claro", "なるほど", "nope 😅"};

    private static final String[] EDIT_NOTES = {" (edit: fixed the link)", " — *Thursday, not Wednesday",
            " (edited: typo)", " — update: it's merged now", " (never mind the first version)", " — corrected the numbers"};

    private static final Table TEAM = new Table(new String[]{
            "I pushed a fix for {thing}, can someone review?",
            "standup in 5 minutes",
            "the dashboard for {thing} looks green again",
            "{name}, I left a few comments on your PR about {thing}",
            "deploying {thing} to staging now",
            "rollback done, {thing} is back to the previous build",
            "flaky test in {thing} again… I'll quarantine it",
            "who owns {thing} these days?",
            "lunch at the ramen place? 🍜",
            "benchmarks for {thing}: p50 12 ms, p99 48 ms",
            "I'm out tomorrow afternoon, dentist",
            "heads-up: the migration for {thing} runs tonight at 22:00 UTC",
            "the incident review for {thing} is in the shared doc",
            "nice work on {thing} everyone 🎉",
            "can we move the retro to Thursday?",
            "after the fix, {thing} is 30% faster on cold start",
            "pairing with {name} on {thing} this afternoon",
            "CI is red on main, looking",
            "CI is green again, it was a timeout in {thing}",
            "coffee? ☕",
    }, new String[]{
            "does anyone know why {thing} times out on the first request?",
            "should {thing} retry on 503 or give up?",
            "is the staging database being reset today?",
            "which branch has the {thing} changes?",
            "are we still doing the demo on Friday?",
            "can someone explain the cursor logic in {thing}?",
    }, new String[]{
            "yes, the pool warms up lazily — first request pays for it",
            "retry with backoff, but only for idempotent calls",
            "not today, Thursday",
            "it's on the feature branch for {thing}",
            "yes, 15:00 in the big room",
            "sure, let's pair on it after lunch",
            "I think {name} knows best",
            "good question — I'll write it down in the README",
    }, new String[]{"the sync engine", "the outbox", "the export job", "login", "the search index", "the live channel",
            "the release pipeline", "token refresh", "the SQLite migration", "the chat list", "the API gateway",
            "the reconnect logic", "the load balancer", "the cron job"});

    private static final Table FRIEND = new Table(new String[]{
            "morning! ☀️",
            "did you see the game last night?",
            "I finally finished that book, the ending 😮",
            "running late, 10 min",
            "there's a new café near the station, we should try it",
            "my cat knocked my plant over again 🙃",
            "sending you the photos from Saturday later",
            "the train is stuck outside the station, again",
            "happy Friday 🎉",
            "I'm making {thing} tonight, want the recipe?",
            "thanks for yesterday, that was fun",
            "can't believe it's already {thing} season",
    }, new String[]{
            "free for a call later?",
            "are you coming on Saturday?",
            "what was the name of that restaurant?",
            "did you ever fix your bike?",
    }, new String[]{
            "yes, after 6 works",
            "wouldn't miss it",
            "Osteria da Lucía, I think",
            "new chain, works like a charm 🚲",
            "maybe, I'll tell you tomorrow",
    }, new String[]{"lasagne", "curry", "pancakes", "soup", "pumpkin", "ski", "strawberry"});

    private static final Table HIKING = new Table(new String[]{
            "forecast says sun on Saturday ⛰️",
            "I can drive, four seats left",
            "meeting point: the parking lot at 7:30",
            "don't forget water, the hut is closed this month",
            "the trail to {thing} is 14 km, 900 m up",
            "bringing the small stove for coffee ☕",
            "photos from last time are in the album",
            "my boots are finally broken in",
            "rain moved to Sunday 🌧️, Saturday is still on",
    }, new String[]{
            "who's in for {thing} this weekend?",
            "does anyone have a spare headlamp?",
            "is the cable car running yet?",
    }, new String[]{
            "I'm in!",
            "I have two, I'll bring one",
            "from the 1st of the month, I checked",
            "count me in, I'll bake something",
    }, new String[]{"the ridge", "the lake", "the north col", "the waterfall", "Monte Rosa hut"});

    private static final Table RELEASES = new Table(new String[]{
            "novyse {ver} is out 🚀\n\n- faster initial sync on large accounts\n- `novyse export --since` accepts dates\n- fixed a crash when a chat had no messages\n\nUpgrade with your package manager or grab the jar.",
            "Release {ver}: the live channel now reconnects with backoff and jitter, and probes silent sockets. Thanks to everyone who sent logs!",
            "Heads-up: {ver} changes the default page size of /user/update to 5,000 messages. Old clients keep working.",
            "Security release {ver}: tokens now die with their session on logout. Please upgrade.",
            "{ver} highlights:\n1. chat pins sync across devices\n2. read markers are per sub\n3. emoji reactions show who reacted\n\nFull changelog in the repository.",
            "Maintenance window on Sunday 02:00–03:00 UTC; the server will be read-only for a few minutes.",
    }, new String[]{}, new String[]{}, new String[]{});

    private static final Table HELP = new Table(new String[]{
            "tip: `novyse export --format jsonl | jq -r .content` gives you plain text",
            "you can pipe into send: `uptime | novyse send @ops -`",
            "the store is just SQLite, `sqlite3 store.db .tables` works",
            "watch prints one JSON line per change, handy for scripts",
    }, new String[]{
            "how do I export only one chat?",
            "sync says 'locked' — what does that mean?",
            "can I run two accounts side by side?",
            "is there a way to mark everything as read?",
            "where does novyse keep its data?",
            "why does send exit with 7?",
    }, new String[]{
            "`novyse export --chat @team` — the chat can be a handle, a name or a uuid",
            "another novyse process has the store open; wait for it or close it",
            "yes, `--account` picks one, and each account has its own database",
            "not yet from the CLI, the TUI will do it",
            "under `$XDG_DATA_HOME/novyse`, one folder per account",
            "7 means queued: the message is in the outbox and goes out on the next sync",
    }, new String[]{});

    private static final Table IDEAS = new Table(new String[]{
            "idea: a `--since yesterday` shortcut for export",
            "it would be great to have per-chat notification settings",
            "what about a compact mode for the chat list?",
            "threads in forums could show their last reply in the list",
            "a `novyse doctor` command that checks the store and the connection",
            "vim-style keys in the TUI, please 🙏",
    }, new String[]{
            "would anyone else use a {thing}?",
    }, new String[]{
            "yes! I'd use it every day",
            "+1, especially over SSH",
            "maybe as an option, not the default",
    }, new String[]{"dark theme", "search filter by sender", "markdown preview", "message scheduler"});

    private static final Table SHOW = new Table(new String[]{
            "I wrote a little script that posts our CI status to a chat:\n```\nwhile sleep 60; do\n  status=$(ci-status main)\n  novyse send @ops \"main is $status\"\ndone\n```",
            "my tmux setup with novyse in the right pane: works great over SSH",
            "a jq one-liner for who talks most:\n```\nnovyse export --chat @team | jq -r .senderName | sort | uniq -c | sort -rn\n```",
            "made a cron job that syncs every 5 minutes, then greps for my name 😄",
            "here's my weekly digest script, it mails me the pinned messages",
    }, new String[]{"does anyone have a cool setup to share?"}, new String[]{"love it", "stealing this 😄",
            "nice, thanks for sharing!"}, new String[]{});

    private static final Table OFFTOPIC = new Table(new String[]{
            "what's everyone reading at the moment?",
            "the sunset from the office today 🌇",
            "just discovered that {thing} exists and I'm hooked",
            "tabs vs spaces, go",
            "Friday song recommendations? 🎶",
            "my sourdough starter is alive again 🍞",
    }, new String[]{"favourite terminal font?", "anyone going to the meetup?"}, new String[]{"JetBrains Mono",
            "Iosevka all the way", "yes, see you there!"}, new String[]{"board games", "bouldering", "jazz", "Go (the game)"});

    private static final Table NIHONGO = new Table(new String[]{
            "今日はいい天気ですね ☀️",
            "こんにちは！元気ですか？",
            "昨日、ラーメンを食べました 🍜",
            "週末は山に行きます ⛰️",
            "日本語の勉強は楽しいです",
            "新しい単語: 締め切り (shimekiri) = deadline 😅",
            "東京駅で会いましょう",
            "漢字は難しいけど、面白い",
            "おはようございます！",
    }, new String[]{
            "「よろしくお願いします」はどう使いますか？",
            "what's the difference between は and が?",
            "how do you say 'pull request' in Japanese?",
    }, new String[]{
            "いい質問ですね！ it depends on the context",
            "プルリクエスト — they just use the English word 😄",
            "は marks the topic, が the subject — roughly",
            "そうですね",
    }, new String[]{});

    private static final Table GENERAL = new Table(new String[]{
            "welcome to the community 👋",
            "hi all, new here — found novyse through a blog post",
            "the self-hosted server runs fine on a Raspberry Pi 4",
            "thanks for the quick fixes lately",
            "the docs on the protocol are really good",
            "anyone running it behind nginx?",
    }, new String[]{"is there a public roadmap?", "how big can a workspace get?"}, new String[]{
            "the issues are the roadmap, more or less",
            "people run a million messages on one SQLite file without trouble",
    }, new String[]{});

    private static Table table(Topic t) {
        return switch (t) {
            case TEAM -> TEAM;
            case FRIEND -> FRIEND;
            case HIKING -> HIKING;
            case RELEASES -> RELEASES;
            case HELP -> HELP;
            case IDEAS -> IDEAS;
            case SHOW -> SHOW;
            case OFFTOPIC -> OFFTOPIC;
            case NIHONGO -> NIHONGO;
            case GENERAL -> GENERAL;
        };
    }

    private static String pick(Random r, String[] from) {
        return from[r.nextInt(from.length)];
    }

    /** A fresh message for {@code topic}; {@code names} are first names of other members for {name} slots. */
    static String message(Topic topic, Random r, List<String> names) {
        Table t = table(topic);
        int roll = r.nextInt(100);
        String text;
        if (topic == Topic.RELEASES) {
            text = pick(r, t.lines());
        } else if (roll < 10 && t.questions().length > 0) {
            text = pick(r, t.questions());
        } else if (roll < 20) {
            text = pick(r, SHORT);
        } else if (roll < 26) {
            text = longMessage(t, r);
        } else if (roll < 30) {
            text = list(t, r);
        } else {
            text = pick(r, t.lines());
        }
        text = fill(text, t, r, names);
        if (r.nextInt(100) < 12 && !text.contains("\n")) {
            text = text + " " + pick(r, EMOJI);
        }
        return text;
    }

    /** An answer for a reply; falls back to a short line for topics without answers. */
    static String answer(Topic topic, Random r, List<String> names) {
        Table t = table(topic);
        String text = t.answers().length > 0 && r.nextInt(100) < 70 ? pick(r, t.answers()) : pick(r, SHORT);
        return fill(text, t, r, names);
    }

    /** A message that mentions the demo account, so the unread chat has something addressed to "you". */
    static String mention(Topic topic, Random r, List<String> names) {
        Table t = table(topic);
        String ask = t.questions().length > 0 ? pick(r, t.questions()) : pick(r, t.lines());
        String[] openers = {"@you ", "@you quick one: ", "hey @you, ", "@you when you have a minute: "};
        return fill(pick(r, openers) + ask, t, r, names);
    }

    /** The edited text of {@code original}: what an author adds when they fix a message. */
    static String edit(String original, Random r) {
        return original + pick(r, EDIT_NOTES);
    }

    private static String longMessage(Table t, Random r) {
        int n = 3 + r.nextInt(3);
        StringBuilder sb = new StringBuilder("Longer update, sorry for the wall of text.");
        for (int i = 0; i < n; i++) {
            String line = pick(r, t.lines());
            if (line.contains("\n")) {
                continue;
            }
            sb.append(' ').append(Character.toUpperCase(line.charAt(0))).append(line.substring(1));
            if (!line.endsWith("?") && !line.endsWith("!") && !line.endsWith(".")) {
                sb.append('.');
            }
        }
        sb.append(" Let me know what you think — no rush, tomorrow is fine.");
        return sb.toString();
    }

    private static String list(Table t, Random r) {
        StringBuilder sb = new StringBuilder(pick(r, new String[]{"notes from today:", "todo for this week:",
                "plan:", "summary so far:"}));
        int n = 2 + r.nextInt(3);
        for (int i = 0; i < n; i++) {
            String line = pick(r, t.lines());
            if (!line.contains("\n")) {
                sb.append("\n- ").append(line);
            }
        }
        return sb.toString();
    }

    private static String fill(String text, Table t, Random r, List<String> names) {
        String out = text;
        while (out.contains("{thing}")) {
            out = out.replaceFirst("\\{thing}", t.things().length == 0 ? "it" : java.util.regex.Matcher.quoteReplacement(pick(r, t.things())));
        }
        while (out.contains("{name}")) {
            out = out.replaceFirst("\\{name}", names.isEmpty() ? "all" : java.util.regex.Matcher.quoteReplacement(names.get(r.nextInt(names.size()))));
        }
        if (out.contains("{ver}")) {
            out = out.replace("{ver}", "0." + (3 + r.nextInt(6)) + "." + r.nextInt(10));
        }
        return out;
    }
}
