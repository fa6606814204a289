package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.account.Session;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.regex.Pattern;

@Command(name = "apikey", description = {"API keys: let cron and CI act for this account without its password.",
        "A script then runs sync, send, watch, export or chats with NOVYSE_API_KEY or --api-key-file.",
        "Managing keys needs the signed-in account (a key cannot make keys) and the server: exit 4 when unreachable."},
        subcommands = {ApikeyCommand.Create.class, ApikeyCommand.List.class, ApikeyCommand.Pause.class,
                ApikeyCommand.Resume.class, ApikeyCommand.Revoke.class})
final class ApikeyCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /** One call on the signed-in account's server; unreachable, exit 4 saying {@code what} was not done. */
    <T> T onServer(String what, Function<Session, T> call) {
        try (Session session = root.openSession()) {
            return ServerActions.call(what, () -> call.apply(session));
        }
    }

    @Command(name = "create", description = {
            "Make a key and print it on stdout, the only time it is ever shown (the server keeps a hash only). It"
                    + " may read and send, or with --read-only only read."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        ApikeyCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "What the key is for (1-64 characters), e.g. ci-backup.")
        String name;

        @Option(names = "--read-only", description = "The key may sync, watch and export, not send.")
        boolean readOnly;

        @Option(names = "--expires", paramLabel = "DURATION",
                description = "It stops working after DURATION: a number and m, h, d or w (90d); default never.")
        String expires;

        @Override
        public Integer call() {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("permissions", readOnly ? "read" : "read,send");
            if (expires != null) {
                body.put("expiresIn", seconds(expires));
            }
            JsonNode key = parent.onServer("apikey create", s -> s.api().post("/apikey", body));
            System.out.println(key.path("key").asText());
            System.out.flush();
            Failures.warn("API key " + key.path("id").asText() + " (" + key.path("permissions").asText() + ") is shown"
                    + " only this once: store it now, e.g. in a 0600 file for --api-key-file");
            return ExitCodes.OK;
        }

        static long seconds(String text) {
            return SharedOptions.duration(text, "--expires").toSeconds();
        }
    }

    @Command(name = "list", description = {
            "The account's keys, never their secrets: one line each (--format jsonl: one {id, name, permissions,"
                    + " active, createdAt, expiresAt, lastUsedAt, prefix} each)."})
    static final class List implements Callable<Integer> {
        @ParentCommand
        ApikeyCommand parent;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            JsonNode keys = parent.onServer("apikey list", s -> s.api().get("/apikey", Map.of())).path("apiKeys");
            OutputWriter out = OutputWriter.stdout(format);
            for (JsonNode k : keys) {
                if (out.closed()) break;
                ApiKeyLine line = ApiKeyLine.of(k);
                out.record(line, line::text);
            }
            return ExitCodes.OK;
        }
    }

    /** One line of {@code apikey list --format jsonl} (docs/output.md): a key as the server lists it, no secret. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ApiKeyLine(String id, String name, String permissions, boolean active, String createdAt, String expiresAt,
                      String lastUsedAt, String prefix) {
        static ApiKeyLine of(JsonNode k) {
            return new ApiKeyLine(k.path("id").asText(), k.path("name").asText(), k.path("permissions").asText(),
                    k.path("active").asBoolean(), k.path("createdAt").asText(null), k.path("expiresAt").asText(null),
                    k.path("lastUsedAt").asText(null), k.path("prefix").asText(null));
        }

        String text() {
            return id + "  " + prefix + "…  " + name + "  " + permissions + "  " + (active ? "active" : "paused")
                    + "  expires " + (expiresAt == null ? "never" : expiresAt)
                    + "  last used " + (lastUsedAt == null ? "never" : lastUsedAt);
        }
    }

    /** pause and resume: {@code PATCH /apikey/{id} {active}}. */
    abstract static class Toggle implements Callable<Integer> {
        @ParentCommand
        ApikeyCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The key's id (apikey list).")
        String id;

        abstract boolean active();

        @Override
        public Integer call() {
            String verb = active() ? "resume" : "pause";
            parent.onServer("apikey " + verb, s -> s.api().patch("/apikey/" + KeyId.check(id), Map.of("active", active())));
            System.err.println((active() ? "resumed" : "paused") + " API key " + id);
            return ExitCodes.OK;
        }
    }

    @Command(name = "pause", description = {"Stop a key at once (its live connections close) until 'apikey resume'."})
    static final class Pause extends Toggle {
        @Override
        boolean active() {
            return false;
        }
    }

    @Command(name = "resume", description = "Let a paused key work again.")
    static final class Resume extends Toggle {
        @Override
        boolean active() {
            return true;
        }
    }

    @Command(name = "revoke", description = "Delete a key for good: it stops at once and is listed no more.")
    static final class Revoke implements Callable<Integer> {
        @ParentCommand
        ApikeyCommand parent;

        @Parameters(index = "0", paramLabel = "ID", description = "The key's id (apikey list).")
        String id;

        @Override
        public Integer call() {
            parent.onServer("apikey revoke", s -> s.api().delete("/apikey/" + KeyId.check(id), Map.of()));
            System.err.println("revoked API key " + id);
            return ExitCodes.OK;
        }
    }

    /** A key id goes into the URL path: only what ids are made of. */
    static final class KeyId {
        private static final Pattern ID = Pattern.compile("[0-9a-fA-F-]{1,64}");

        static String check(String id) {
            if (!ID.matcher(id).matches()) {
                throw new CliException(ExitCodes.USAGE, "'" + id + "' is not an API key id (apikey list shows them)");
            }
            return id;
        }
    }
}
