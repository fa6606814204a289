package dev.novyse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.googlecode.lanterna.TerminalSize;
import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import com.googlecode.lanterna.terminal.Terminal;
import com.googlecode.lanterna.terminal.virtual.DefaultVirtualTerminal;
import com.googlecode.lanterna.terminal.virtual.VirtualTerminalListener;
import dev.novyse.account.AccountClient;
import dev.novyse.protocol.Json;
import dev.novyse.server.BulkSeeder;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.TokenProvider;
import dev.novyse.tui.TuiApp;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The TUI benchmark (issue: TUI). A 1M-message store opens to its first full frame (chat list and the open chat's
 * messages) and answers keys while staying light: time to first frame, key-to-frame latency and RSS, each run in a
 * <b>separate JVM</b> started with the launcher's own flags ({@code src/main/sh/novyse}), so the figures are the
 * TUI's own. The TUI runs on Lanterna's virtual terminal with a live connection to an in-process server.
 *
 * <ol>
 *   <li>Seeds a server like {@link CoreBenchmark} ({@code chats × perChat} messages), then makes it realistic for the
 *       chat list: per chat the account has read all, all but 5, 40, 200, 1,000, half, or none of the messages, and
 *       every 97th message of the other member names {@code @bench} (mention counts). A real {@code novyse sync}
 *       process builds the client store. The seeded server and store are kept as a pristine copy; each measured
 *       run starts from a fresh copy of both (the TUI marks chats read and sends messages).</li>
 *   <li>Records an AppCDS archive in a first run (as the launcher does on its first start), then times
 *       {@code bench.runs} starts to the first full frame with the archive and one without.</li>
 *   <li>One run types, sends, scrolls back (PageUp, loading older pages from SQLite), switches chats (C-n, M-Down,
 *       C-p, M-Up), jumps to unread chats (M-u) and searches (C-f, a query, Enter or Esc), one key at a time with a
 *       {@code keyGap} pause: key-to-frame per {@link TuiApp.Context#frames()}, and for keys whose answer is read
 *       in the background the time until the screen shows it.</li>
 *   <li>Baseline in the same run: the {@code sqlite3} shell timing the same reads (chat list, newest window, an
 *       older page, the searches) on the same store.</li>
 * </ol>
 *
 * <p>Run: {@code mvn -B -q test-compile exec:exec@bench -Dbench.class=dev.novyse.bench.TuiBenchmark}
 * ({@code -Dbench.chats=200 -Dbench.perChat=5000}; {@code -Dbench.store=DIR} reuses the work directory of an earlier
 * run instead of seeding and syncing again; {@code -Dbench.runs=5}; {@code -Dbench.childJvmArgs="-Xmx64m ..."} adds
 * flags to the TUI's JVM only). Each child's output goes to {@code child-first.log} / {@code child-keys.log} in the
 * work directory, with its milestones ({@code T}) and keys ({@code K}) on the nanoTime clock in ms, to set beside
 * e.g. {@code -Dbench.childJvmArgs=-Xlog:gc:stderr:uptimenanos}.
 */
public final class TuiBenchmark {
    private TuiBenchmark() {}

    static final int COLS = 120, ROWS = 40;
    static final long KEY_GAP_MS = 60;
    /** What is searched: each typed key by key, then Enter (jump to the newest hit) or Esc. */
    static final List<String> QUERIES = List.of("lazy dog", "bench", "cursors batches", "pelican", "quick brown fox", "sync");
    static final List<Boolean> JUMP = List.of(true, false, true, false, false, true);

    public static void main(String[] args) throws Exception {
        int runs = Integer.getInteger("bench.runs", 5);
        String reuse = System.getProperty("bench.store", "").trim();
        Path work;
        Properties info;
        if (!reuse.isEmpty()) {
            work = Path.of(reuse).toAbsolutePath();
            info = new Properties();
            try (InputStream in = Files.newInputStream(work.resolve("bench.properties"))) {
                info.load(in);
            }
            System.out.println("reusing " + work);
        } else {
            work = Files.createTempDirectory("novyse-tuibench");
            info = build(work, Integer.getInteger("bench.chats", 200), Integer.getInteger("bench.perChat", 5000));
        }
        long total = Long.parseLong(info.getProperty("chats")) * Long.parseLong(info.getProperty("perChat"));
        System.out.printf(Locale.ROOT, "novyse TUI benchmark: %s chats x %s messages = %,d messages, terminal %dx%d"
                        + " (work dir %s; rerun with -Dbench.store=%s)%n", info.getProperty("chats"),
                info.getProperty("perChat"), total, COLS, ROWS, work, work);
        System.out.println("machine: " + Runtime.getRuntime().availableProcessors() + " cores, java "
                + System.getProperty("java.version") + ", load average at start " + loadAverage());

        Child.Launch launch = new Child.Launch(work);
        System.out.println("TUI JVM flags (from src/main/sh/novyse" + (launch.extra.isEmpty() ? "" : " + bench.childJvmArgs")
                + "): " + String.join(" ", launch.flags()));

        // First frames. The first run records the AppCDS archive, as the launcher's first start does.
        Map<String, String> warm = launch.run("first", true, null);
        System.out.printf(Locale.ROOT, "archive-recording run: first frame %s ms from spawn%n", warm.get("frame.fromSpawnMs"));
        List<Map<String, String>> firsts = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            firsts.add(launch.run("first", false, null));
        }
        Map<String, String> noArchive = runs == 0 ? null : launch.runNoArchive();

        // Baseline and search expectations on a fresh copy, then the key run on the same copy.
        launch.restore();
        Path store = launch.store();
        Baseline base = Baseline.measure(store, info);
        Map<String, String> keys = launch.run("keys", false, base.expected);

        // ---- report ----
        System.out.println();
        System.out.printf(Locale.ROOT, "store %.0f MiB; chat list: %s chats with unread messages, %s unread, %s with mentions%n",
                Files.size(store) / 1048576.0, base.unreadChats, base.unreadTotal, base.mentionChats);
        System.out.println("load average at end " + loadAverage());
        System.out.println();
        System.out.println("First full frame (chat list + open chat's messages), ms:");
        System.out.println("                          from spawn  from JVM start  from store open   VmRSS MiB");
        for (int i = 0; i < firsts.size(); i++) {
            printFirst("run " + (i + 1) + " (AppCDS)", firsts.get(i));
        }
        if (!firsts.isEmpty()) {
            printFirst("median (AppCDS)", median(firsts));
            printFirst("no archive", noArchive);
        }
        printFirst("key run (AppCDS)", keys);
        double fromOpen = Double.parseDouble((firsts.isEmpty() ? keys : median(firsts)).get("frame.fromOpenMs"));
        System.out.printf(Locale.ROOT, "sqlite3 baseline: process start, open, chat list + newest %d-message window: %.0f ms"
                        + " (queries alone %.1f + %.1f ms); TUI from store open / sqlite3 = %.1f%n",
                dev.novyse.state.StateDriver.PAGE, base.processMs, base.chatListMs, base.windowMs, fromOpen / base.processMs);
        System.out.println();
        System.out.printf(Locale.ROOT, "Keys (one at a time, %d ms apart): key-to-frame is TuiApp's own measure (key taken"
                + " off the queue to its frame flushed); key-to-content is from the key entering the terminal to the first"
                + " frame showing the answer read in the background%n", KEY_GAP_MS);
        System.out.println("kind             keys  frame p50    p99    max | content p50    p99    max  late | sqlite3 same read");
        Map<String, List<Double>> frames = samples(keys, "frame.");
        Map<String, List<Double>> contents = samples(keys, "content.");
        List<Double> all = new ArrayList<>();
        for (String kind : Child.KINDS) {
            List<Double> f = frames.getOrDefault(kind, List.of());
            List<Double> c = contents.getOrDefault(kind, List.of());
            if (f.isEmpty() && c.isEmpty()) continue;
            all.addAll(f);
            String late = keys.getOrDefault("late." + kind, "0");
            System.out.printf(Locale.ROOT, "%-16s %4d  %s | %s  %4s | %s%n", kind, f.size(), stats(f),
                    c.isEmpty() ? "                       " : stats(c), c.isEmpty() ? "" : late, base.same.getOrDefault(kind, ""));
        }
        System.out.printf(Locale.ROOT, "%-16s %4d  %s | (aim: key-to-frame <= 16 ms)%n", "all keys", all.size(), stats(all));
        System.out.println();
        System.out.printf(Locale.ROOT, "RSS of the TUI's JVM: after first frame (settled, live) %s MiB; after the %d keys"
                        + " VmRSS %s MiB (anonymous %s, file %s), VmHWM %s MiB (aim <= 150 MiB); heap used %s of %s MiB"
                        + " committed; %s GCs%n",
                keys.get("rss.settledMiB"), all.size(), keys.get("rss.endMiB"), keys.get("anon.endMiB"),
                keys.get("file.endMiB"), keys.get("hwm.endMiB"), keys.get("heap.usedMiB"), keys.get("heap.committedMiB"),
                keys.get("gc.count"));
        System.out.println("first frame, ms from store open (key run): " + keys.get("frame.fromOpenMs") + "; before it: main "
                + keys.get("main.fromSpawnMs") + " ms after spawn, credentials " + keys.get("open.ms")
                + " ms, LocalDatabase.open " + keys.get("opened.ms") + " ms");
    }

    // ---- seeding ------------------------------------------------------------------------------------------

    static ServerConfig serverConfig(Path dir) {
        // A long token lifetime: a reused work directory keeps working without a refresh.
        return new ServerConfig("127.0.0.1", 0, dir, Duration.ofDays(30), 1_000, Clock.systemUTC());
    }

    static Properties build(Path work, int chats, int perChat) throws Exception {
        Path seed = work.resolve("seed");
        Properties info = new Properties();
        try (NovyseServer server = new NovyseServer(serverConfig(seed.resolve("server"))).start()) {
            Path data = seed.resolve("data");
            CoreBenchmark.signup(server.url(), data, "bench");
            CoreBenchmark.signup(server.url(), work.resolve("peer"), "peer");
            String me = CoreBenchmark.uuid(data);
            String peer = CoreBenchmark.uuid(work.resolve("peer"));
            long t0 = System.nanoTime();
            List<String> ids = BulkSeeder.seed(server, new BulkSeeder.Spec(List.of(me, peer), chats, perChat, 42));
            Map<String, Long> marks = new LinkedHashMap<>();
            for (int i = 0; i < ids.size(); i++) {
                long unread = switch (i % 8) {
                    case 0, 1 -> 0;
                    case 2 -> 5;
                    case 3 -> 40;
                    case 4 -> 200;
                    case 5 -> 1000;
                    case 6 -> perChat / 2;
                    default -> perChat; // never opened
                };
                if (perChat - unread > 0) marks.put(ids.get(i), perChat - unread);
            }
            BulkSeeder.markRead(server, me, marks);
            int mentions = BulkSeeder.append(server, peer, "@bench", 97);
            System.out.printf(Locale.ROOT, "seeded server in %.1f s (%,d mentions of @bench)%n", CoreBenchmark.seconds(t0), mentions);
            t0 = System.nanoTime();
            List<String> sync = List.of(CoreBenchmark.java(), "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                    "dev.novyse.cli.Main", "--data-dir", data.toString(), "sync", "--quiet");
            int rc = new ProcessBuilder(sync).inheritIO().redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start().waitFor();
            if (rc != 0) throw new IllegalStateException("novyse sync exited " + rc);
            System.out.printf(Locale.ROOT, "novyse sync (process) in %.1f s%n", CoreBenchmark.seconds(t0));
        }
        info.setProperty("chats", String.valueOf(chats));
        info.setProperty("perChat", String.valueOf(perChat));
        try (OutputStream out = Files.newOutputStream(work.resolve("bench.properties"))) {
            info.store(out, "novyse TUI benchmark work directory");
        }
        return info;
    }

    // ---- baseline -----------------------------------------------------------------------------------------

    /** The same reads through the sqlite3 shell: a process that opens the store and runs them, and each query. */
    static final class Baseline {
        double processMs, chatListMs, windowMs;
        int unreadChats, unreadTotal, mentionChats;
        final Map<String, String> same = new LinkedHashMap<>();
        /** Query → the newest hit's content (the search overlay's first line), "" for no hit. */
        final Map<String, String> expected = new LinkedHashMap<>();

        static Baseline measure(Path store, Properties info) throws Exception {
            Baseline b = new Baseline();
            String me, handle, chat;
            long newest;
            try (LocalDatabase db = LocalDatabase.open(store)) {
                me = db.accountUserUUID().orElseThrow();
                handle = "@" + db.accountHandle().orElseThrow().toLowerCase(Locale.ROOT);
                List<ChatSummary> list = db.chatList(2000);
                chat = list.get(0).uuid();
                newest = db.latest(chat, 0, 1).get(0).id();
                for (ChatSummary s : list) {
                    if (s.unreadCount() > 0) b.unreadChats++;
                    if (s.mentionCount() > 0) b.mentionChats++;
                    b.unreadTotal += s.unreadCount();
                }
                // The copied SQL below must be what the store runs: same counts, or the baseline is of something else.
                String check = sqlite(store, chatListSql(me, handle) + ";").stdout.lines()
                        .map(l -> l.split("\\|", -1)).map(f -> f[0] + "/" + f[10] + "/" + f[12]).reduce("", (x, y) -> x + y + ",");
                String ours = list.stream().map(s -> s.uuid() + "/" + s.unreadCount() + "/" + s.mentionCount())
                        .reduce("", (x, y) -> x + y + ",");
                if (!check.equals(ours)) {
                    throw new IllegalStateException("TuiBenchmark's copy of the chat-list SQL no longer matches the store's");
                }
            }
            int page = dev.novyse.state.StateDriver.PAGE;
            String window = windowSql(me, chat, newest + 1, page);
            String older = windowSql(me, chat, newest - 3 * page, page);
            // One process: start, open, the chat list and the newest window (what the first frame needs).
            List<Double> proc = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long t0 = System.nanoTime();
                sqlite(store, chatListSql(me, handle) + ";" + window);
                proc.add((System.nanoTime() - t0) / 1e6);
            }
            b.processMs = medianOf(proc);
            b.chatListMs = timed(store, chatListSql(me, handle) + ";", 5);
            b.windowMs = timed(store, window, 200);
            b.same.put("switch", String.format(Locale.ROOT, "window %.2f ms", b.windowMs));
            b.same.put("next-unread", String.format(Locale.ROOT, "window %.2f ms", b.windowMs));
            b.same.put("pageup", String.format(Locale.ROOT, "older page %.2f ms", timed(store, older, 200)));
            b.same.put("send", String.format(Locale.ROOT, "window %.2f ms (then chat list %.0f ms)", b.windowMs, b.chatListMs));
            StringBuilder searches = new StringBuilder();
            for (String q : QUERIES) {
                String sql = "SELECT m.content FROM message m JOIN message_fts ON message_fts.rowid = m.rowid"
                        + " WHERE message_fts MATCH " + lit(dev.novyse.store.FullTextQuery.ofWords(q)) + " AND m.deleted = 0 ORDER BY m.created_at DESC LIMIT 100;";
                double ms = timed(store, sql, 5);
                searches.append(searches.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%.0f", ms));
                String first = sqlite(store, sql).stdout.lines().findFirst().orElse("");
                b.expected.put(q, first);
            }
            b.same.put("search-results", "FTS " + searches + " ms");
            b.same.put("jump", String.format(Locale.ROOT, "2 windows %.2f ms", 2 * b.windowMs));
            return b;
        }

        /**
         * The time of one run of {@code sql} (one or more statements) in a warm sqlite3 process, output discarded:
         * a process running it {@code 1 + reps} times against one running it once, divided by {@code reps} (the
         * shell's own .timer rounds each statement to the millisecond). Median of three such pairs.
         */
        static double timed(Path store, String sql, int reps) throws Exception {
            List<Double> per = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                long t0 = System.nanoTime();
                sqlite(store, ".output /dev/null\n" + sql + "\n");
                long once = System.nanoTime() - t0;
                t0 = System.nanoTime();
                sqlite(store, ".output /dev/null\n" + (sql + "\n").repeat(1 + reps));
                long many = System.nanoTime() - t0;
                per.add(Math.max(0, many - once) / 1e6 / reps);
            }
            return medianOf(per);
        }
    }

    record Result(String stdout) {
    }

    static Result sqlite(Path store, String script) throws Exception {
        Process p = new ProcessBuilder("sqlite3", store.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(script.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException("sqlite3 failed on: " + script);
        return new Result(out);
    }

    static String lit(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static final String NAME = "NULLIF(TRIM(%1$s.name || COALESCE(' ' || %1$s.surname, '')), '')";

    /** ViewQueries.chats as the store runs it for the chat list (kept in step with it; checked against it above). */
    static String chatListSql(String me, String mention) {
        String m = lit(me), h = lit(mention);
        return "SELECT c.uuid, c.type, c.name,"
                + " COALESCE(c.name, (SELECT " + NAME.formatted("u") + " FROM member mb JOIN user u ON u.uuid = mb.userUUID"
                + "   WHERE mb.chatUUID = c.uuid AND mb.userUUID <> " + m + " ORDER BY mb.userUUID LIMIT 1)) AS title,"
                + " c.handle, p.position, lm.content, lm.created_at, " + NAME.formatted("lu") + ", lm.deleted,"
                + " (SELECT COUNT(*) FROM chat_sub s CROSS JOIN message m ON m.chatUUID = s.chatUUID AND m.subID = s.id"
                + "   AND m.id > COALESCE((SELECT MAX(r.messageID) FROM message_read r WHERE r.chatUUID = s.chatUUID"
                + "     AND r.userUUID = " + m + " AND r.subID = s.id), 0)"
                + "   WHERE s.chatUUID = c.uuid AND m.deleted = 0 AND m.senderUUID IS NOT " + m + ") AS unread,"
                + " c.eventID,"
                + " (SELECT COUNT(*) FROM chat_sub s CROSS JOIN message m ON m.chatUUID = s.chatUUID AND m.subID = s.id"
                + "   AND m.id > COALESCE((SELECT MAX(r.messageID) FROM message_read r WHERE r.chatUUID = s.chatUUID"
                + "     AND r.userUUID = " + m + " AND r.subID = s.id), 0)"
                + "   WHERE s.chatUUID = c.uuid AND m.deleted = 0 AND m.senderUUID IS NOT " + m + " AND " + h + " <> ''"
                + "   AND instr(lower(m.content), " + h + ") > 0) AS mentions"
                + " FROM chat c"
                + " LEFT JOIN chat_pin p ON p.chatUUID = c.uuid"
                + " LEFT JOIN message lm ON lm.rowid = (SELECT m2.rowid FROM message m2 WHERE m2.chatUUID = c.uuid"
                + "   ORDER BY m2.created_at DESC LIMIT 1)"
                + " LEFT JOIN user lu ON lu.uuid = lm.senderUUID"
                + " ORDER BY p.position IS NULL, p.position, lm.created_at IS NULL, lm.created_at DESC,"
                + " title COLLATE NOCASE, c.uuid LIMIT 2000";
    }

    /** ViewQueries.window's four reads plus the read markers (StateDriver.openNow). */
    static String windowSql(String me, String chat, long before, int limit) {
        String c = lit(chat);
        long lo = before - limit, hi = before - 1;
        return "SELECT m.chatUUID, m.subID, m.id, m.senderUUID, " + NAME.formatted("u") + ", m.content, m.created_at,"
                + " m.edited, m.deleted, EXISTS (SELECT 1 FROM pinned_message p WHERE p.chatUUID = m.chatUUID"
                + " AND p.subID = m.subID AND p.messageID = m.id) FROM message m LEFT JOIN user u ON u.uuid = m.senderUUID"
                + " WHERE m.chatUUID = " + c + " AND m.subID = 0 AND m.id < " + before + " ORDER BY m.id DESC LIMIT " + limit + ";"
                + "SELECT messageID, reaction, COUNT(*), MAX(userUUID = " + lit(me) + ") FROM reaction_message"
                + " WHERE chatUUID = " + c + " AND subID = 0 AND messageID BETWEEN " + lo + " AND " + hi
                + " GROUP BY messageID, reaction ORDER BY messageID, MIN(at), reaction;"
                + "SELECT mf.messageID, mf.fileUUID, f.name, f.size, f.mimeType FROM message_files mf"
                + " LEFT JOIN file f ON f.uuid = mf.fileUUID WHERE mf.chatUUID = " + c + " AND mf.subID = 0"
                + " AND mf.messageID BETWEEN " + lo + " AND " + hi + " ORDER BY mf.messageID, mf.position;"
                + "SELECT messageID, replyTo_chatUUID, replyTo_subID, replyTo_messageID FROM message_reply"
                + " WHERE chatUUID = " + c + " AND subID = 0 AND messageID BETWEEN " + lo + " AND " + hi
                + " AND position = 0 AND replyTo_messageID IS NOT NULL;"
                + "SELECT r.userUUID, " + NAME.formatted("u") + ", MAX(r.messageID) FROM message_read r"
                + " LEFT JOIN user u ON u.uuid = r.userUUID WHERE r.chatUUID = " + c + " AND r.subID = 0"
                + " GROUP BY r.userUUID ORDER BY 3 DESC, 2 COLLATE NOCASE;";
    }

    // ---- report helpers -----------------------------------------------------------------------------------

    static void printFirst(String label, Map<String, String> r) {
        System.out.printf(Locale.ROOT, "  %-22s %10s  %14s  %15s   %9s%n", label, r.get("frame.fromSpawnMs"),
                r.get("frame.fromJvmMs"), r.get("frame.fromOpenMs"), r.getOrDefault("rss.settledMiB", ""));
    }

    static Map<String, String> median(List<Map<String, String>> runs) {
        Map<String, String> out = new TreeMap<>();
        for (String k : List.of("frame.fromSpawnMs", "frame.fromJvmMs", "frame.fromOpenMs", "rss.settledMiB")) {
            List<Double> v = new ArrayList<>();
            for (Map<String, String> r : runs) v.add(Double.parseDouble(r.get(k)));
            out.put(k, String.format(Locale.ROOT, "%.0f", medianOf(v)));
        }
        return out;
    }

    static double medianOf(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        return s.isEmpty() ? Double.NaN : s.size() % 2 == 1 ? s.get(s.size() / 2)
                : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> v, double p) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int rank = (int) Math.ceil(p / 100 * s.size());
        return s.get(Math.max(0, Math.min(s.size() - 1, rank - 1)));
    }

    static String stats(List<Double> v) {
        if (v.isEmpty()) return String.format(Locale.ROOT, "%6s %6s %6s", "-", "-", "-");
        return String.format(Locale.ROOT, "%6.1f %6.1f %6.1f", pct(v, 50), pct(v, 99), Collections.max(v));
    }

    static Map<String, List<Double>> samples(Map<String, String> r, String prefix) {
        Map<String, List<Double>> out = new LinkedHashMap<>();
        r.forEach((k, v) -> {
            if (!k.startsWith(prefix) || v.isEmpty() || !k.endsWith(".samples")) return;
            String kind = k.substring(prefix.length(), k.length() - ".samples".length());
            out.put(kind, Arrays.stream(v.split(",")).map(Double::parseDouble).toList());
        });
        return out;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    // ---- the TUI's own JVM --------------------------------------------------------------------------------

    /**
     * Runs in the child JVM: opens the account like {@code novyse} does (the credentials, the store),
     * runs {@link TuiApp} on a virtual terminal, times the first full frame, then optionally plays the keys, and
     * writes its figures as {@code key=value} lines.
     */
    public static final class Child {
        static final List<String> KINDS = List.of("type", "send", "pageup", "latest", "switch", "next-unread",
                "search-open", "search-type", "search-results", "jump", "close");

        private Child() {}

        /** Starts child JVMs with the launcher's flags on a fresh copy of the seeded server and store. */
        static final class Launch {
            final Path work;
            final Path seed;
            final Path run;
            final List<String> launcherFlags;
            final List<String> extra;
            final String classpath;
            final Path archive;
            final Path nativeDir;

            Launch(Path work) throws IOException {
                this.work = work;
                this.seed = work.resolve("seed");
                this.run = work.resolve("run");
                this.launcherFlags = launcherFlags();
                String e = System.getProperty("bench.childJvmArgs", "").trim();
                this.extra = e.isEmpty() ? List.of() : List.of(e.split("\\s+"));
                this.classpath = jars(work.resolve("jars"));
                this.archive = work.resolve("jars").resolve("tui.jsa");
                Files.deleteIfExists(archive);
                this.nativeDir = nativeLibrary(work.resolve("native"));
            }

            List<String> flags() {
                List<String> f = new ArrayList<>(launcherFlags);
                f.addAll(extra);
                return f;
            }

            /** The JVM flags of the launcher's exec line (its AppCDS flags are added here per run). */
            static List<String> launcherFlags() throws IOException {
                for (String line : Files.readAllLines(Path.of("src/main/sh/novyse"))) {
                    String l = line.trim();
                    if (!l.startsWith("exec java")) continue;
                    List<String> out = new ArrayList<>();
                    for (String t : l.split("\\s+")) if (t.startsWith("-X") && !t.contains("$")) out.add(t);
                    return out;
                }
                throw new IllegalStateException("no 'exec java' line in src/main/sh/novyse");
            }

            /**
             * The class path as jars only (AppCDS archives classes from jars, not directories): novyse's classes and
             * this benchmark's are packed into jars; the dependencies are jars already.
             */
            static String jars(Path dir) throws IOException {
                Files.createDirectories(dir);
                List<String> cp = new ArrayList<>();
                List<String> deps = new ArrayList<>();
                for (String e : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
                    Path p = Path.of(e);
                    if (Files.isDirectory(p)) {
                        boolean tests = p.getFileName().toString().equals("test-classes");
                        Path jar = dir.resolve(tests ? "bench.jar" : "novyse-classes.jar");
                        pack(p, jar, tests ? "dev/novyse/bench/" : "");
                        cp.add(jar.toString());
                    } else {
                        deps.add(e);
                    }
                }
                cp.addAll(deps);
                return String.join(java.io.File.pathSeparator, cp);
            }

            static void pack(Path root, Path jar, String prefix) throws IOException {
                try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                     Stream<Path> files = Files.walk(root)) {
                    for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                        String name = root.relativize(f).toString().replace('\\', '/');
                        if (!name.startsWith(prefix)) continue;
                        out.putNextEntry(new JarEntry(name));
                        Files.copy(f, out);
                        out.closeEntry();
                    }
                }
            }

            /** sqlite-jdbc's native library unpacked once, as the launcher's NativeLibraryCache keeps it. */
            static Path nativeLibrary(Path dir) throws IOException {
                String folder = org.sqlite.util.OSInfo.getNativeLibFolderPathForCurrentOS();
                String name = System.mapLibraryName("sqlitejdbc");
                Path lib = dir.resolve(name);
                if (!Files.isRegularFile(lib)) {
                    Files.createDirectories(dir);
                    try (InputStream in = org.sqlite.SQLiteJDBCLoader.class.getResourceAsStream(
                            "/org/sqlite/native/" + folder + "/" + name)) {
                        Files.copy(in, lib);
                    }
                }
                return dir;
            }

            void restore() throws Exception {
                if (Files.exists(run)) {
                    exec(List.of("rm", "-rf", run.toString()));
                }
                Files.createDirectories(run);
                exec(List.of("cp", "-a", seed.resolve("server").toString(), seed.resolve("data").toString(), run.toString()));
            }

            Path store() throws IOException {
                try (Stream<Path> files = Files.walk(run.resolve("data"))) {
                    return files.filter(p -> p.getFileName().toString().equals("store.db")).findFirst().orElseThrow();
                }
            }

            Map<String, String> run(String mode, boolean recordArchive, Map<String, String> expected) throws Exception {
                return start(mode, recordArchive ? List.of("-XX:ArchiveClassesAtExit=" + archive, "-Xlog:cds=off",
                        "-Xlog:cds+dynamic=off") : List.of("-XX:SharedArchiveFile=" + archive, "-Xshare:auto"), expected,
                        mode.equals("keys"));
            }

            Map<String, String> runNoArchive() throws Exception {
                return start("first", List.of(), null, false);
            }

            private Map<String, String> start(String mode, List<String> cds, Map<String, String> expected,
                                              boolean restored) throws Exception {
                if (!restored) restore();
                Path out = work.resolve("child-" + mode + ".out");
                Path log = work.resolve("child-" + mode + ".log");
                Files.deleteIfExists(out);
                Path searches = work.resolve("searches.tsv");
                if (expected != null) {
                    StringBuilder b = new StringBuilder();
                    expected.forEach((q, first) -> b.append(q).append('\t').append(first).append('\n'));
                    Files.writeString(searches, b);
                }
                try (NovyseServer server = new NovyseServer(serverConfig(run.resolve("server"))).start()) {
                    List<String> cmd = new ArrayList<>(List.of(CoreBenchmark.java()));
                    cmd.addAll(cds);
                    cmd.addAll(flags());
                    cmd.addAll(List.of("-Dorg.sqlite.lib.path=" + nativeDir, "-Dorg.sqlite.lib.name="
                            + System.mapLibraryName("sqlitejdbc"), "-cp", classpath, Child.class.getName(),
                            "mode=" + mode, "data=" + run.resolve("data"), "server=" + server.url(), "out=" + out,
                            "searches=" + (expected == null ? "" : searches)));
                    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
                    cmd.add("spawn=" + System.currentTimeMillis());
                    Process p = pb.start();
                    if (!p.waitFor(10, java.util.concurrent.TimeUnit.MINUTES)) {
                        p.destroyForcibly();
                        throw new IllegalStateException("the TUI run did not finish; see " + log);
                    }
                    if (p.exitValue() != 0 || !Files.exists(out)) {
                        throw new IllegalStateException("the TUI run failed (exit " + p.exitValue() + "):\n"
                                + Files.readString(log));
                    }
                }
                Map<String, String> r = new LinkedHashMap<>();
                for (String line : Files.readAllLines(out)) {
                    int eq = line.indexOf('=');
                    if (eq > 0) r.put(line.substring(0, eq), line.substring(eq + 1));
                }
                return r;
            }

            static void exec(List<String> cmd) throws Exception {
                int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
                if (rc != 0) throw new IllegalStateException(cmd + " exited " + rc);
            }
        }

        // ---------------------------------------------------------------- inside the child JVM

        private static final class Flushes implements VirtualTerminalListener {
            private long count;
            private long lastNanos;

            @Override
            public synchronized void onFlush() {
                count++;
                lastNanos = System.nanoTime();
                notifyAll();
            }

            @Override
            public void onBell() {
            }

            @Override
            public void onClose() {
            }

            @Override
            public void onResized(Terminal terminal, TerminalSize newSize) {
            }

            synchronized long count() {
                return count;
            }

            synchronized long[] snapshot() {
                return new long[]{count, lastNanos};
            }

            /** Waits for a flush after {@code seen}; null at the deadline. */
            synchronized long[] next(long seen, long deadline) throws InterruptedException {
                while (count <= seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) return null;
                    wait(Math.max(1, left / 1_000_000));
                }
                return new long[]{count, lastNanos};
            }
        }

        private final Map<String, String> results = new LinkedHashMap<>();
        private final Map<String, List<Double>> frameSamples = new LinkedHashMap<>();
        private final Map<String, List<Double>> contentSamples = new LinkedHashMap<>();
        private final Map<String, Integer> late = new LinkedHashMap<>();
        private final List<Long> keyFrames = new ArrayList<>();
        private final Flushes flushes = new Flushes();
        private DefaultVirtualTerminal term;

        public static void main(String[] a) throws Exception {
            long startNanos = System.nanoTime();
            long startMillis = System.currentTimeMillis();
            Map<String, String> o = new LinkedHashMap<>();
            for (String s : a) o.put(s.substring(0, s.indexOf('=')), s.substring(s.indexOf('=') + 1));
            new Child().go(o, startNanos, startMillis);
            System.exit(0);
        }

        private void go(Map<String, String> o, long startNanos, long startMillis) throws Exception {
            Path data = Path.of(o.get("data"));
            // What plain `novyse` does before the screen opens (TuiLauncher.openPlain): no picocli model, the
            // warm-up on another thread, the account's credentials (read without Jackson's ObjectMapper, which
            // nothing before the first frame needs). The native library's folder is given to this JVM, so the
            // unpacking the product does on a third thread has nothing to do here.
            dev.novyse.concurrent.DaemonThreads.start("novyse-warmup", dev.novyse.tui.Warmup::run);
            dev.novyse.account.Accounts accounts = new dev.novyse.account.Accounts(data);
            dev.novyse.account.Accounts.Account account = accounts.resolve(null);
            dev.novyse.account.Credentials cred = accounts.read(account);
            URI server = URI.create(o.get("server"));
            String[] token = {cred.token()};
            ApiClient[] api = new ApiClient[1];
            TokenProvider tokens = new TokenProvider() {
                @Override
                public synchronized String current() {
                    return token[0];
                }

                @Override
                public synchronized String refresh() {
                    token[0] = api[0].refreshToken(cred.sessionSecret()).token();
                    return token[0];
                }
            };
            api[0] = new ApiClient(server, tokens);
            long openNanos = System.nanoTime();
            LocalDatabase db = LocalDatabase.open(account.databaseFile());
            long openedNanos = System.nanoTime();
            term = new DefaultVirtualTerminal(new TerminalSize(COLS, ROWS));
            term.addVirtualTerminalListener(flushes);
            TuiApp.Context ctx = new TuiApp.Context(new AccountClient(db, api[0], tokens, server),
                    "bench@" + server.getAuthority(), Map.of(), data.resolve("cache"), null, ns -> {
                synchronized (keyFrames) {
                    keyFrames.add(ns);
                    keyFrames.notifyAll();
                }
            });
            Throwable[] crash = new Throwable[1];
            Thread tui = new Thread(() -> {
                try {
                    TuiApp.run(ctx, term);
                } catch (Throwable t) {
                    crash[0] = t;
                }
            }, "tui");
            tui.start();

            long first = awaitScreen(0, s -> join(s).contains(" message bench-") && !paneBlank(s), 60_000);
            if (first < 0) throw new IllegalStateException("no first frame:\n" + join(screen()));
            // Milestones for the log (ms on the nanoTime clock), beside any the TUI prints while being profiled.
            System.err.printf("T main %d%nT open %d%nT opened %d%nT first %d%n", startNanos / 1_000_000,
                    openNanos / 1_000_000, openedNanos / 1_000_000, first / 1_000_000);
            long spawn = Long.parseLong(o.get("spawn"));
            long firstMillis = startMillis + (first - startNanos) / 1_000_000;
            long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
            results.put("frame.fromSpawnMs", String.valueOf(firstMillis - spawn));
            results.put("frame.fromJvmMs", String.valueOf(firstMillis - jvmStart));
            results.put("frame.fromOpenMs", String.format(Locale.ROOT, "%.0f", (first - openNanos) / 1e6));
            results.put("frame.fromMainMs", String.format(Locale.ROOT, "%.0f", (first - startNanos) / 1e6));
            results.put("main.fromSpawnMs", String.valueOf(startMillis - spawn));
            results.put("open.ms", String.format(Locale.ROOT, "%.0f", (openNanos - startNanos) / 1e6));
            results.put("opened.ms", String.format(Locale.ROOT, "%.0f", (openedNanos - openNanos) / 1e6));

            // Settle: connected and synced, and no frame for a second.
            awaitScreen(flushes.count() - 1, s -> s[ROWS - 1].contains("● live"), 30_000);
            quiet(1000, 15_000);
            results.put("rss.settledMiB", status("VmRSS"));

            if (o.get("mode").equals("keys")) {
                Map<String, String> expected = new LinkedHashMap<>();
                for (String line : Files.readAllLines(Path.of(o.get("searches")))) {
                    String[] f = line.split("\t", -1);
                    expected.put(f[0], f[1]);
                }
                play(expected);
            }
            results.put("rss.endMiB", status("VmRSS"));
            results.put("hwm.endMiB", status("VmHWM"));
            results.put("anon.endMiB", status("RssAnon"));
            results.put("file.endMiB", status("RssFile"));
            long gcs = 0;
            for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) gcs += Math.max(0, gc.getCollectionCount());
            results.put("gc.count", String.valueOf(gcs));
            Runtime rt = Runtime.getRuntime();
            results.put("heap.usedMiB", String.format(Locale.ROOT, "%.0f", (rt.totalMemory() - rt.freeMemory()) / 1048576.0));
            results.put("heap.committedMiB", String.format(Locale.ROOT, "%.0f", rt.totalMemory() / 1048576.0));
            if (Boolean.getBoolean("bench.nmt")) {
                System.out.println(ManagementFactory.getPlatformMBeanServer().invoke(
                        new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "vmNativeMemory",
                        new Object[]{new String[]{"summary"}}, new String[]{String[].class.getName()}));
            }
            term.addInput(new KeyStroke('q', true, false));
            tui.join(10_000);
            if (crash[0] != null) throw new IllegalStateException("the TUI crashed", crash[0]);
            db.close();
            frameSamples.forEach((k, v) -> results.put("frame." + k + ".samples", csv(v)));
            contentSamples.forEach((k, v) -> results.put("content." + k + ".samples", csv(v)));
            late.forEach((k, v) -> results.put("late." + k, String.valueOf(v)));
            try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(Path.of(o.get("out"))))) {
                results.forEach((k, v) -> w.println(k + "=" + v));
            }
        }

        /** The session: about three hundred keys of reading, writing, scrolling, switching and searching. */
        private void play(Map<String, String> expected) throws Exception {
            type("running late, there in ten");
            String sent = "running late, there in ten";
            key("send", new KeyStroke(KeyType.Enter), "send", before -> s -> pane(s).contains(sent), 5000);
            for (int i = 0; i < 45; i++) key("pageup", new KeyStroke(KeyType.PageUp), "pageup", Child::paneChanged, 3000);
            key("latest", new KeyStroke('g', false, true), "latest", Child::paneChanged, 3000);
            KeyStroke[] moves = {new KeyStroke('n', true, false), new KeyStroke(KeyType.ArrowDown, false, true),
                    new KeyStroke('p', true, false), new KeyStroke(KeyType.ArrowUp, false, true)};
            int[] counts = {25, 10, 8, 5};
            int n = 0;
            for (int m = 0; m < moves.length; m++) {
                for (int i = 0; i < counts[m]; i++, n++) {
                    key("switch", moves[m], "switch", Child::headerChanged, 5000);
                    if (n % 5 == 4) {
                        type("hi there");
                        key("type", new KeyStroke('u', true, false), null, null, 0);
                    }
                    if (n == 12) {
                        for (int j = 0; j < 8; j++) key("pageup", new KeyStroke(KeyType.PageUp), "pageup", Child::paneChanged, 3000);
                        key("latest", new KeyStroke('g', false, true), "latest", Child::paneChanged, 3000);
                    }
                }
            }
            type("one more thing");
            String second = "one more thing";
            key("send", new KeyStroke(KeyType.Enter), "send", before -> s -> pane(s).contains(second), 5000);
            for (int i = 0; i < 20; i++) {
                key("next-unread", new KeyStroke('u', false, true), "next-unread",
                        before -> s -> !header(s).equals(header(before)) || join(s).contains("no unread messages"), 5000);
            }
            for (int q = 0; q < QUERIES.size(); q++) {
                String query = QUERIES.get(q);
                String hit = expected.getOrDefault(query, "");
                key("search-open", new KeyStroke('f', true, false), null, null, 0);
                for (int i = 0; i < query.length(); i++) {
                    boolean last = i == query.length() - 1;
                    key("search-type", new KeyStroke(query.charAt(i), false, false), last ? "search-results" : null,
                            last ? before -> s -> searchShows(s, query, hit) : null, 10_000);
                }
                if (JUMP.get(q) && !hit.isEmpty()) {
                    String want = hit.substring(0, Math.min(24, hit.length()));
                    key("jump", new KeyStroke(KeyType.Enter), "jump", before -> s -> !join(s).contains("Search all chats")
                            && pane(s).contains(want), 5000);
                    key("latest", new KeyStroke('g', false, true), null, null, 0);
                } else {
                    key("close", new KeyStroke(KeyType.Escape), null, null, 0);
                }
            }
        }

        private void type(String text) throws Exception {
            for (char c : text.toCharArray()) key("type", new KeyStroke(c, false, false), null, null, 0);
        }

        /**
         * Sends one key and waits for its frame (TuiApp's measure); with {@code content}, also for the first frame
         * whose screen passes {@code test} (built from the screen before the key), timed from the key's entry.
         */
        private void key(String kind, KeyStroke k, String contentKind,
                         java.util.function.Function<String[], Predicate<String[]>> content, long timeoutMs) throws Exception {
            int seen;
            synchronized (keyFrames) {
                seen = keyFrames.size();
            }
            String[] before = screen();
            long flushesBefore = flushes.count();
            long t0 = System.nanoTime();
            term.addInput(k);
            long deadline = System.nanoTime() + 10_000_000_000L;
            synchronized (keyFrames) {
                while (keyFrames.size() <= seen) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) throw new IllegalStateException("no frame for key " + k + ":\n" + join(screen()));
                    keyFrames.wait(Math.max(1, left / 1_000_000));
                }
                frameSamples.computeIfAbsent(kind, x -> new ArrayList<>()).add(keyFrames.get(seen) / 1e6);
                // For the log: when (ms on the nanoTime clock, as the T lines) and how long, to set beside -Xlog:gc.
                System.err.printf(Locale.ROOT, "K %s %d %.1f%n", kind, t0 / 1_000_000, keyFrames.get(seen) / 1e6);
            }
            if (content != null) {
                long shown = awaitScreen(flushesBefore, content.apply(before), timeoutMs);
                if (shown < 0) {
                    late.merge(contentKind, 1, Integer::sum);
                } else {
                    contentSamples.computeIfAbsent(contentKind, x -> new ArrayList<>()).add((shown - t0) / 1e6);
                }
            }
            Thread.sleep(KEY_GAP_MS);
        }

        /**
         * The time of the first flush after {@code after} whose screen passes {@code test}; -1 at the timeout. The
         * screen is read right after the flush it is attributed to (a frame takes at least 16 ms to follow).
         */
        private long awaitScreen(long after, Predicate<String[]> test, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            long seen = after;
            while (true) {
                long[] f = flushes.next(seen, deadline);
                if (f == null) return -1;
                long[] now;
                String[] s;
                do {
                    now = flushes.snapshot();
                    s = screen();
                } while (flushes.snapshot()[0] != now[0]);
                if (test.test(s) && System.nanoTime() - now[1] < 12_000_000L) return now[1];
                if (test.test(s)) {
                    seen = now[0]; // read too long after its flush to be sure it was that frame: take the next
                    continue;
                }
                seen = now[0];
            }
        }

        /** Waits until no frame came for {@code ms}. */
        private void quiet(long ms, long timeoutMs) throws InterruptedException {
            long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
            while (System.nanoTime() < deadline) {
                long c = flushes.count();
                if (flushes.next(c, System.nanoTime() + ms * 1_000_000L) == null) return;
            }
        }

        /**
         * The screen as rows of text, in one pass under the terminal's lock (cell by cell would take and release it
         * 4,800 times, in the TUI's way while it draws); a cell is checked for double width only beyond ASCII.
         */
        private String[] screen() {
            String[] rows = new String[ROWS];
            StringBuilder b = new StringBuilder(COLS);
            term.forEachLine(0, ROWS - 1, (r, line) -> {
                b.setLength(0);
                for (int c = 0; c < COLS; c++) {
                    var ch = line.getCharacterAt(c);
                    String s = ch.getCharacterString();
                    b.append(s);
                    if (s.charAt(0) >= 0x1100 && ch.isDoubleWidth()) c++;
                }
                if (r < ROWS) rows[r] = b.toString();
            });
            return rows;
        }

        static String join(String[] s) {
            return String.join("\n", s);
        }

        /** The open chat's title line (right of the chat list). */
        static String header(String[] s) {
            int bar = s[0].indexOf('│');
            return bar < 0 ? s[0] : s[0].substring(bar + 1);
        }

        /** The message pane: every row between the header and the status bar, right of the chat list. */
        static String pane(String[] s) {
            StringBuilder b = new StringBuilder();
            for (int r = 1; r < s.length - 1; r++) {
                int bar = s[r].indexOf('│');
                b.append(bar < 0 ? s[r] : s[r].substring(bar + 1)).append('\n');
            }
            return b.toString();
        }

        static boolean paneBlank(String[] s) {
            for (int r = 1; r < s.length - 4; r++) {
                int bar = s[r].indexOf('│');
                if (bar >= 0 && !s[r].substring(bar + 1).isBlank()) return false;
            }
            return true;
        }

        static Predicate<String[]> paneChanged(String[] before) {
            String was = pane(before);
            return s -> !pane(s).equals(was);
        }

        static Predicate<String[]> headerChanged(String[] before) {
            String was = header(before);
            return s -> !header(s).equals(was);
        }

        /** The search overlay answers {@code query}: its first result is the newest hit, or it says there is none. */
        static boolean searchShows(String[] s, String query, String hit) {
            for (int r = 0; r < s.length; r++) {
                if (!s[r].contains("Search all chats")) continue;
                if (hit.isEmpty()) return join(s).contains("no match for " + query);
                String want = hit.replace('\n', ' ');
                want = want.substring(0, Math.min(24, want.length()));
                return r + 3 < s.length && s[r + 3].contains(want);
            }
            return false;
        }

        static String status(String field) {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                    if (l.startsWith(field + ":")) {
                        long kb = Long.parseLong(l.replaceAll("[^0-9]", ""));
                        return String.format(Locale.ROOT, "%.0f", kb / 1024.0);
                    }
                }
            } catch (IOException ignored) {
                // not Linux
            }
            return "?";
        }

        static String csv(List<Double> v) {
            StringBuilder b = new StringBuilder();
            for (double d : v) b.append(b.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", d));
            return b.toString();
        }
    }
}
