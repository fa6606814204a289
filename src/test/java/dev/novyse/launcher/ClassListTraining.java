package dev.novyse.launcher;

import dev.novyse.server.NovyseServer;
import dev.novyse.server.ServerConfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The class list the launcher's AppCDS archive is dumped from, made at build time (package phase, after the jar is
 * shaded) by a training run: the one-shot commands a user runs most, each a JVM of the built jar with
 * {@code -XX:DumpLoadedClassList}, against an in-process server and a throw-away account. Their union goes into the
 * jar (META-INF/novyse/classlist), so the archive holds what every command loads, not only what the first command
 * after an install happened to load (issue 14: {@code novyse chats} after {@code signup} first took 1.6x longer).
 *
 * <p>Arguments: the jar, the class list to write. A command that fails fails the build: a training run that silently
 * skipped a command would leave its classes out of every archive.
 */
public final class ClassListTraining {
    private ClassListTraining() {}

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]).toAbsolutePath();
        Path out = Path.of(args[1]);
        Path work = Files.createTempDirectory("novyse-classlist");
        try (var server = new NovyseServer(new ServerConfig("127.0.0.1", 0, work.resolve("server"),
                Duration.ofHours(1), 1_000, Clock.systemUTC())).start()) {
            String data = work.resolve("data").toString();
            List<List<String>> commands = List.of(
                    List.of("--server", server.url(), "signup", "trainer"),
                    List.of("--version"),
                    List.of("--help"),
                    List.of("accounts"),
                    List.of("chat", "create", "training"),
                    List.of("send", "training", "hello"),
                    List.of("sync", "--quiet"),
                    List.of("sync", "--quiet"),
                    // A sync that applies events of every common kind (a catch-up after time away): its classes
                    // and the method-handle shapes it spins are archived too, and the message commands' own.
                    List.of("send", "training", "second"),
                    List.of("send", "training", "third"),
                    List.of("sync", "--quiet"),
                    List.of("message", "edit", "training", "1", "hello again"),
                    List.of("message", "react", "training", "1", "\uD83D\uDC4D"),
                    List.of("message", "pin", "training", "2"),
                    List.of("message", "read", "training", "2"),
                    List.of("message", "favorite", "training", "2"),
                    List.of("message", "delete", "training", "3"),
                    List.of("profile", "set", "--bio", "in training"),
                    List.of("sync", "--quiet"),
                    List.of("chats"),
                    List.of("search", "hello"),
                    List.of("export"),
                    List.of("chat", "info", "training"),
                    List.of("outbox"),
                    List.of("profile"),
                    List.of("export", "--all"));
            Set<String> lines = new LinkedHashSet<>();
            for (int i = 0; i < commands.size(); i++) {
                Path list = work.resolve("list-" + i);
                List<String> command = new ArrayList<>(List.of(java(), "-XX:DumpLoadedClassList=" + list,
                        "-jar", jar.toString(), "--data-dir", data));
                command.addAll(commands.get(i));
                run(command, work.resolve("out-" + i));
                // In the order the first command loaded them, then what each later one adds: a class comes after
                // its supertypes and a lambda proxy after its class, as the dump reads them.
                for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
                    if (!line.startsWith("#")) {
                        lines.add(line);
                    }
                }
            }
            Files.createDirectories(out.toAbsolutePath().getParent());
            Files.write(out, lines, StandardCharsets.UTF_8);
            System.out.println("class list: " + lines.size() + " lines from " + commands.size() + " commands -> " + out);
        } finally {
            deleteTree(work);
        }
    }

    private static void run(List<String> command, Path output) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        // signup reads the password from stdin when it is not a terminal
        p.getOutputStream().write("training-password\n".getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("class list training: " + command + " did not finish");
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("class list training: " + command + " exited " + p.exitValue() + ":\n"
                    + Files.readString(output));
        }
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
