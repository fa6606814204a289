package dev.novyse.cli;

import dev.novyse.account.Accounts;
import dev.novyse.account.Credentials;
import dev.novyse.store.Fixtures;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The completion scripts work in a real bash and a real zsh (installed by src/test/sh/provision during the
 * build), including chat and account names read from a local store through a real {@code novyse} on the PATH;
 * every man page renders without warnings.
 */
class ShellIntegrationTest {
    record Result(int code, String out, String err) {
    }

    @TempDir
    static Path dir;
    /** A data directory with one account whose store holds three chats. */
    static Path data;
    /** A directory holding a {@code novyse} launcher for this build's classes, put first on the PATH. */
    static Path bin;
    static final String DM_UUID = "0d000000-0000-4000-8000-000000000001";

    @BeforeAll
    static void storeWithChats() throws IOException {
        data = dir.resolve("data");
        Accounts accounts = new Accounts(data);
        Accounts.Account alice = accounts.account("alice@127.0.0.1_8080");
        accounts.write(alice, new Credentials("http://127.0.0.1:8080", "alice", "u1", 0, null, null, null));
        accounts.write(accounts.account("bob@127.0.0.1_8080"), new Credentials("http://127.0.0.1:8080", "bob", "u2", 0, null, null, null));
        accounts.write(accounts.account("bob@example.org_443"), new Credentials("https://example.org", "bob", "u3", 0, null, null, null));
        accounts.setDefault(alice.id());
        try (LocalDatabase db = LocalDatabase.open(alice.databaseFile())) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                w.upsertUser(Fixtures.user("u1", "Alice", 1));
                w.upsertChat(Fixtures.chat("c1", "GROUP", "Team", "team", 1, List.of("u1")));
                w.upsertChat(Fixtures.chat("c2", "GROUP", "Ops", "ops", 1, List.of("u1")));
                w.upsertChat(Fixtures.chat(DM_UUID, "DM", null, null, 1, List.of("u1")));
                return null;
            });
        }
        bin = Files.createDirectories(dir.resolve("bin"));
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path launcher = bin.resolve("novyse");
        Files.writeString(launcher, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java")
                + "' -XX:TieredStopAtLevel=1 -Xshare:auto -cp '" + cp + "' dev.novyse.cli.Main \"$@\"\n");
        launcher.toFile().setExecutable(true);
    }

    static Result sh(String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        pb.environment().put("NOVYSE_DATA_DIR", data.toString());
        pb.environment().remove("NOVYSE_ACCOUNT");
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    /** COMPREPLY of the installed bash entry point (the function `complete -p novyse` names) for these words. */
    static List<String> bash(String words, int cword) throws Exception {
        String script = "source completions/novyse.bash; fn=$(complete -p novyse | sed -E 's/.*-F ([^ ]+).*/\\1/');"
                + " COMP_WORDS=(" + words + "); COMP_CWORD=" + cword
                + "; COMP_LINE=\"${COMP_WORDS[*]}\"; COMP_POINT=${#COMP_LINE}; \"$fn\" novyse; printf '%s\\n' \"${COMPREPLY[@]}\"";
        Result r = sh("bash", "-c", script);
        assertEquals(0, r.code(), r.err());
        return r.out().lines().filter(l -> !l.isBlank()).sorted().toList();
    }

    /** What a real interactive zsh offers on Tab after {@code line}, with completions/ on its $fpath. */
    static List<String> zsh(String line) throws Exception {
        Result r = sh("timeout", "60", "zsh", "src/test/sh/zsh-complete", "completions", line);
        assertEquals(0, r.code(), "zsh-complete failed: " + r.err());
        return r.out().lines().filter(l -> !l.isBlank()).distinct().sorted().toList();
    }

    @Test
    void bashCompletesSubcommandsAndOptions() throws Exception {
        assertEquals(List.of("search", "send", "serve", "settings", "signup", "sync"), bash("novyse s", 1));
        assertTrue(bash("novyse export --f", 2).contains("--format"));
        assertEquals(List.of("csv", "json", "jsonl", "text"), bash("novyse export --format ''", 3));
        assertEquals(List.of("import"), bash("novyse imp", 1));
        assertTrue(bash("novyse import --o", 2).contains("--only"));
        assertFalse(bash("novyse ''", 1).contains("__complete"), "the hidden candidates command is not offered");
    }

    @Test
    void bashCompletesChatsAndAccountsFromTheStore() throws Exception {
        assertEquals(List.of(DM_UUID, "ops", "team"), bash("novyse export --chat ''", 3));
        assertEquals(List.of("team"), bash("novyse watch --chat te", 3));
        // bash splits "@te" at '@' (COMP_WORDBREAKS): the words are --chat, @, te.
        assertEquals(List.of("team"), bash("novyse send --chat @ te", 4));
        assertEquals(List.of("ops"), bash("novyse send o", 2), "send's CHAT");
        assertEquals(List.of("ops"), bash("novyse chat info o", 3), "chat info's CHAT");
        assertEquals(List.of("team"), bash("novyse message react --sub 0 t", 5), "message react's CHAT");
        assertEquals(List.of(), bash("novyse chat create o", 3), "a new chat's NAME is not a chat");
        assertEquals(List.of(), bash("novyse send team ''", 3).stream().filter(s -> s.equals("ops")).toList(),
                "the TEXT after the chat is not a chat");
        assertEquals(List.of("alice", "bob@127.0.0.1_8080", "bob@example.org_443"), bash("novyse --account ''", 2));
    }

    @Test
    void zshCompletesSubcommandsOptionsAndValues() throws Exception {
        assertEquals(List.of("search", "send", "serve", "settings", "signup", "sync"), zsh("novyse s"));
        assertEquals(List.of("export"), zsh("novyse exp"));
        assertTrue(zsh("novyse export --f").contains("--format"), "options");
        assertEquals(List.of("csv", "json", "jsonl", "text"), zsh("novyse export --format "));
    }

    @Test
    void zshCompletesChatsAndAccountsFromTheStore() throws Exception {
        assertEquals(List.of(DM_UUID, "ops", "team"), zsh("novyse export --chat "));
        assertEquals(List.of("@team"), zsh("novyse export --chat @te"));
        assertEquals(List.of("team"), zsh("novyse send t"));
        assertEquals(List.of("alice", "bob@127.0.0.1_8080", "bob@example.org_443"), zsh("novyse chats --account "));
    }

    @Test
    void theCompleteCommandReadsTheStoreOnly() throws Exception {
        Result chats = sh(bin.resolve("novyse").toString(), "__complete", "chats");
        assertEquals(0, chats.code(), chats.err());
        assertEquals(List.of(DM_UUID, "ops", "team"), chats.out().lines().sorted().toList());
        Result none = sh(bin.resolve("novyse").toString(), "--data-dir", dir.resolve("empty").toString(), "__complete", "chats");
        assertEquals(0, none.code());
        assertEquals("", none.out() + none.err(), "no account: no candidates and no noise");
        assertFalse(Files.exists(dir.resolve("empty")), "completion never creates a store");
    }

    @Test
    void everyManPageRendersWithoutWarnings() throws Exception {
        List<Path> pages;
        try (Stream<Path> files = Files.list(Path.of("man"))) {
            pages = files.filter(p -> p.toString().endsWith(".1")).sorted().toList();
        }
        assertTrue(pages.size() >= 9, "one page per command: " + pages);
        for (Path page : pages) {
            Result r = sh("env", "MANWIDTH=80", "man", "--warnings", "-l", page.toString());
            assertEquals(0, r.code(), page + ": " + r.err());
            assertEquals("", r.err().strip(), page + " renders with warnings");
            assertTrue(r.out().contains("NAME"), page + " has a NAME section");
        }
        Result main = sh("env", "MANWIDTH=80", "man", "-l", "man/novyse.1");
        assertTrue(main.out().toLowerCase(java.util.Locale.ROOT).contains("exit codes") && main.out().contains("NOVYSE_SERVER"), "exit codes and environment are documented");
    }
}
