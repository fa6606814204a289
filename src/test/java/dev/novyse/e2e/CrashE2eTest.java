package dev.novyse.e2e;

import dev.novyse.server.BulkSeeder;
import dev.novyse.server.NovyseServer;
import dev.novyse.server.RawApi;
import dev.novyse.server.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Invariant 1 (docs/architecture.md#invariant-1)
 * with real processes: {@code novyse sync} runs in its own JVM against a large workspace and is killed
 * with SIGKILL at random moments, many times, during the initialize and then during updates. After every kill the
 * database is intact, has no duplicate and no hole; after a final clean run it equals the server's view.
 */
class CrashE2eTest {
    static final long SEED = Long.getLong("novyse.e2e.crashSeed", 4242L);

    @TempDir
    Path dir;

    record Kill(long delayMs, long messages, boolean exitedFirst) {
    }

    @Test
    void syncKilledAtRandomMomentsResumesWithoutLossOrDuplicates() throws Exception {
        Random random = new Random(SEED);
        try (NovyseServer server = TestServer.start(dir.resolve("server"))) {
            RawApi api = new RawApi(server.url());
            Path data = dir.resolve("client");
            E2e.cliSignup(data, server.url(), "crasher");
            String me = E2e.credentials(data).path("userUUID").asText();
            String token = E2e.credentials(data).path("token").asText();
            RawApi.Account peer = api.signup("peer");
            List<String> chats = BulkSeeder.seed(server, new BulkSeeder.Spec(List.of(me, peer.uuid()), 40, 1000, SEED));
            Path db = E2e.accountDir(data).resolve("store.db");

            // The child JVM must find the classes: a quick run proves the class path before any kill counts.
            E2e.Proc version = E2e.process(60, "--version");
            assertEquals(0, version.code(), "novyse --version in a child JVM: " + version.err());

            List<Kill> kills = new ArrayList<>();
            killRounds(12, data, db, random, kills, "initialize");
            long afterInit = messagesIn(db);

            // Let one run complete so the next rounds are updates, then grow the server between kills.
            assertEquals(0, cleanSync(data), "a clean sync");
            assertEquals(40_000, Projection.scalar(db, "SELECT COUNT(*) FROM message"));
            E2e.As peerAs = new E2e.As(api, peer);
            E2e.As meAs = new E2e.As(api, new RawApi.Account("crasher", token, me, null));
            // A sync is fast enough that a fixed kill window often lands after it ended: every update round gets
            // real work (new chats to fetch), and rounds go on (at least four) until ten kills have landed while a
            // sync ran.
            for (int round = 0; round < 40 && (round < 4 || kills.stream().filter(k -> !k.exitedFirst()).count() < 10); round++) {
                BulkSeeder.seed(server, new BulkSeeder.Spec(List.of(me, peer.uuid()), 2, 1500, SEED + round));
                String chat = chats.get(random.nextInt(chats.size()));
                for (int i = 0; i < 30; i++) peerAs.send(chat, 0, "update round " + round + " #" + i);
                meAs.ok("PATCH", "/chat/rename", Map.of("chatUUID", chats.get(0), "name", "renamed in round " + round))
;
                meAs.ok("PUT", "/message/reaction", E2e.As.msg(chat, 0, 1 + random.nextInt(1000), "reaction", "🔥"));
                peerAs.ok("DELETE", "/message", E2e.As.msg(chat, 0, 1001 + random.nextInt(30)));
                killRounds(1, data, db, random, kills, "update " + round);
            }
            assertEquals(0, cleanSync(data), "the final clean sync");

            assertEquals("ok", Projection.integrityCheck(db));
            assertEquals(List.of(), Projection.holes(db), "holes in per-sub message ids");
            Projection.assertSame(Projection.server(server.url(), token), Projection.client(db), "after the crash rounds");
            assertTrue(Projection.scalar(db, "SELECT COUNT(*) FROM message") > 40_000);
            long midSync = kills.stream().filter(k -> !k.exitedFirst() && k.messages() > 0).count();
            System.out.println("crash test: " + kills.size() + " kills (" + midSync + " while a sync was writing),"
                    + " " + afterInit + " messages stored when the initialize rounds ended; kills=" + kills);
            assertTrue(kills.size() >= 16, "kills: " + kills.size());
            assertTrue(kills.stream().filter(k -> !k.exitedFirst()).count() >= 10, "at least ten real kills: " + kills);
        }
    }

    /** {@code n} rounds: start a sync process, SIGKILL it after 200-1500 ms, check the database. */
    private void killRounds(int n, Path data, Path db, Random random, List<Kill> kills, String phase) throws Exception {
        for (int i = 0; i < n; i++) {
            long delay = 200 + random.nextInt(1301);
            ProcessBuilder pb = E2e.novyseProcess("--data-dir", data.toString(), "sync", "--quiet");
            pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            Process p = pb.start();
            boolean exited = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!exited) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            } else {
                assertEquals(0, p.exitValue(), phase + ": a sync that finished before its kill failed");
            }
            if (hasSchema(db)) {
                assertEquals("ok", Projection.integrityCheck(db), phase + " after a kill at " + delay + " ms");
                assertEquals(List.of(), Projection.holes(db), phase + ": holes after a kill at " + delay + " ms");
            }
            kills.add(new Kill(delay, messagesIn(db), exited));
        }
    }

    /**
     * Whether the store has its tables: a kill before the first migration committed leaves the empty file the store
     * creates (0600) before SQLite opens it, or SQLite's header without a table — a boundary too, nothing applied.
     */
    private static boolean hasSchema(Path db) throws Exception {
        return Files.exists(db) && Projection.scalar(db, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'message'") > 0;
    }

    /** Messages in the store; 0 when it has no tables yet (see {@link #hasSchema}). */
    private static long messagesIn(Path db) throws Exception {
        return hasSchema(db) ? Projection.scalar(db, "SELECT COUNT(*) FROM message") : 0;
    }

    private static int cleanSync(Path data) throws Exception {
        E2e.Proc r = E2e.process(180, "--data-dir", data.toString(), "sync", "--stats");
        if (r.code() != 0) throw new AssertionError("clean sync failed: " + r.err());
        return r.code();
    }
}
