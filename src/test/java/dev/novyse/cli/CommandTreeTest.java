package dev.novyse.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A command line that names one subcommand runs on a tree of the root and that one: it must not tell the difference
 * (every command's help; usage errors in the command and in the root's own options; the version).
 */
class CommandTreeTest {
    private static CommandLine whole() {
        return NovyseCommand.commandLine("help");
    }

    @Test
    void everyCommandsHelpIsTheSameOnItsOwnTreeAsOnTheWholeOne() {
        List<String> checked = new ArrayList<>();
        for (Map.Entry<String, CommandLine> top : whole().getSubcommands().entrySet()) {
            if (top.getKey().equals("help")) continue;
            CommandLine own = NovyseCommand.commandLine("--data-dir", "/nowhere", top.getKey(), "--help");
            assertEquals(Set.of(top.getKey()), own.getSubcommands().keySet(), "the tree for " + top.getKey());
            compare(List.of(top.getKey()), top.getValue(), own.getSubcommands().get(top.getKey()), checked);
        }
        assertTrue(checked.size() > 40, "every command and subcommand compared: " + checked);
    }

    private static void compare(List<String> path, CommandLine inWhole, CommandLine inOwn, List<String> checked) {
        assertEquals(inWhole.getUsageMessage(CommandLine.Help.Ansi.OFF), inOwn.getUsageMessage(CommandLine.Help.Ansi.OFF),
                "novyse " + String.join(" ", path) + " --help");
        assertEquals(inWhole.getSubcommands().keySet(), inOwn.getSubcommands().keySet(), String.join(" ", path));
        checked.add(String.join(" ", path));
        for (Map.Entry<String, CommandLine> sub : inWhole.getSubcommands().entrySet()) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add(sub.getKey());
            compare(deeper, sub.getValue(), inOwn.getSubcommands().get(sub.getKey()), checked);
        }
    }

    @Test
    void theSubcommandIsTheFirstWordAfterTheRootsOwnOptions() {
        assertEquals(ChatsCommand.class, NovyseCommand.namedSubcommand("chats"));
        assertEquals(SyncCommand.class, NovyseCommand.namedSubcommand("--data-dir", "/d", "sync", "--quiet"));
        assertNull(NovyseCommand.namedSubcommand("--data-dir", "sync", "sync"), "a command's name as a value");
        assertNull(NovyseCommand.namedSubcommand("--data-dir=export", "chats"), "a command's name as a value");
        assertEquals(SendCommand.class, NovyseCommand.namedSubcommand("--server=http://h:1", "--verbose", "--account",
                "me", "send", "@team", "chats"));
        assertNull(NovyseCommand.namedSubcommand("help", "chats"), "help lists the others: the whole tree");
        assertNull(NovyseCommand.namedSubcommand("--bogus", "chats"), "an unknown option: the whole tree reports it");
        assertNull(NovyseCommand.namedSubcommand("chast"), "a typo: the whole tree suggests the command");
        assertNull(NovyseCommand.namedSubcommand("--data-dir"));
        assertNull(NovyseCommand.namedSubcommand());
        assertEquals(0, NovyseCommand.commandLine("--version").getSubcommands().size());
        assertTrue(NovyseCommand.commandLine("chast").getSubcommands().size() > 20);
    }

    @Test
    void errorsAndTheVersionReadTheSameOnEitherTree() {
        for (String[] args : List.of(new String[]{"chats", "--bogus"}, new String[]{"send"}, new String[]{"--version"},
                new String[]{"sync", "--format", "yaml"},
                // errors in the root's own options, before the command
                new String[]{"--account", "--verbose", "chats"}, new String[]{"--account", "a", "--account", "b", "chats"},
                new String[]{"--data-dir", "sync", "sync"}, new String[]{"--data-dir=export", "chats"},
                new String[]{"--account", "help", "chats"})) {
            String[] inWhole = run(whole(), args);
            String[] inOwn = run(NovyseCommand.commandLine(args), args);
            assertEquals(List.of(inWhole), List.of(inOwn), String.join(" ", args));
            assertEquals(args[0].equals("--version") ? "0" : "2", inWhole[0], "the version, or a usage error (nothing"
                    + " ran): " + String.join(" ", args));
            if (!args[0].equals("--version")) {
                assertEquals(1, inWhole[2].lines().count(), "a usage error is one line: " + inWhole[2]);
                assertTrue(inWhole[2].startsWith("novyse: ") && inWhole[2].contains(" --help' shows the usage)"), inWhole[2]);
                assertEquals("", inWhole[1], "nothing on stdout");
            }
        }
    }

    @Test
    void everyCommandTakesHelpAfterItsName() {
        for (String[] args : List.of(new String[]{"chats", "--help"}, new String[]{"chat", "members", "-h"},
                new String[]{"--data-dir", "/nowhere", "sync", "--help"}, new String[]{"--help"})) {
            String[] inWhole = run(whole(), args);
            String[] inOwn = run(NovyseCommand.commandLine(args), args);
            assertEquals(List.of(inWhole), List.of(inOwn), String.join(" ", args));
            assertEquals("0", inWhole[0], String.join(" ", args));
            assertEquals("", inWhole[2], "nothing on stderr: " + String.join(" ", args));
            String named = String.join(" ", List.of(args).subList(args[0].equals("--data-dir") ? 2 : 0, args.length - 1));
            assertTrue(inWhole[1].startsWith("Usage: novyse" + (named.isEmpty() ? "" : " " + named) + " "), inWhole[1]);
            assertTrue(inWhole[1].contains("-h, --help"), inWhole[1]);
        }
    }

    @Test
    void usageErrorsSayWhatIsWrongInOneLine() {
        String bogus = run(whole(), "bogus")[2];
        assertTrue(bogus.startsWith("novyse: 'bogus' is not a command of novyse")
                && bogus.endsWith(" ('novyse --help' shows the usage)\n") && bogus.lines().count() == 1, bogus);
        assertEquals("novyse: 'chast' is not a command of novyse; did you mean novyse chat or novyse chats or novyse watch?"
                + " ('novyse --help' shows the usage)\n", run(whole(), "chast")[2]);
        assertEquals("novyse: Unknown option: '--bogus' ('novyse chats --help' shows the usage)\n",
                run(NovyseCommand.commandLine("chats", "--bogus"), "chats", "--bogus")[2]);
    }

    @Test
    void helpNamesACommandOrASubcommand() {
        String[] members = run(whole(), "help", "chat", "members");
        assertEquals(List.of("0", run(whole(), "chat", "members", "--help")[1], ""), List.of(members));
        assertTrue(members[1].startsWith("Usage: novyse chat members "), members[1]);
        assertEquals(run(whole(), "--help")[1], run(whole(), "help")[1]);
        String[] unknown = run(whole(), "help", "chat", "nosuch");
        assertEquals("2", unknown[0]);
        assertEquals("", unknown[1]);
        assertEquals("novyse: 'nosuch' is not a command of novyse chat ('novyse chat --help' shows the usage)\n",
                unknown[2]);
        assertTrue(run(whole(), "help", "--help")[1].startsWith("Usage: novyse help "));
    }

    @Test
    void anAtSignNamesAHandleEvenWhenAFileOfThatNameIsThere(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        String file = java.nio.file.Files.writeString(dir.resolve("bob"), "carol\n").toString(); // picocli would read it
        for (String[] args : List.of(new String[]{"send", "@" + file, "hi"}, new String[]{"chat", "invite", "@team", "@" + file})) {
            for (CommandLine cl : List.of(whole(), NovyseCommand.commandLine(args))) {
                List<String> positionals = new ArrayList<>();
                for (CommandLine.ParseResult r = cl.parseArgs(args); r != null; r = r.subcommand()) {
                    r.matchedPositionals().forEach(p -> positionals.addAll(p.stringValues()));
                }
                assertTrue(positionals.contains("@" + file), String.join(" ", args) + ": " + positionals);
            }
        }
    }

    /** Exit code, stdout and stderr of a run that fails before it does anything (a usage error, help, the version). */
    private static String[] run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute(args);
        return new String[]{Integer.toString(rc), out.toString(), err.toString()};
    }
}
