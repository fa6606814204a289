package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.account.Session;
import dev.novyse.protocol.Json;
import dev.novyse.sync.ApiException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "settings", description = {"The account's synced settings (they follow it to every device).",
        "'get' reads the local store; 'set' and 'unset' need the server: exit 4 when it is unreachable."},
        subcommands = {SettingsCommand.Get.class, SettingsCommand.Set.class, SettingsCommand.Unset.class})
final class SettingsCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    @Command(name = "get", description = {
            "Print one setting's value, or every setting as 'KEY = VALUE' lines (--format jsonl: one {key, value}"
                    + " line each). An unknown KEY exits 2."})
    static final class Get implements Callable<Integer> {
        @ParentCommand
        SettingsCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "KEY", description = "The setting; all of them without it.")
        String key;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                Map<String, String> settings = session.db().syncedSettings();
                OutputWriter out = OutputWriter.stdout(format);
                if (key != null) {
                    String value = settings.get(key);
                    if (value == null) {
                        throw new CliException(ExitCodes.USAGE, "no setting '" + key + "' (novyse settings get lists them)");
                    }
                    SettingLine line = SettingLine.of(key, value);
                    out.record(line, line::bare);
                    return ExitCodes.OK;
                }
                for (Map.Entry<String, String> e : settings.entrySet()) {
                    if (out.closed()) break;
                    SettingLine line = SettingLine.of(e.getKey(), e.getValue());
                    out.record(line, () -> line.key() + " = " + line.value());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = {
            "Set a setting. VALUE is taken as JSON when it is JSON (true, 5, [\"a\"], \"quoted\"), else as text:"
                    + " 'settings set language en' stores the string \"en\". These are the account's, kept by the server for"
                    + " every device; the chat screen's own look and keys are in the config file."})
    static final class Set implements Callable<Integer> {
        @ParentCommand
        SettingsCommand parent;

        @Parameters(index = "0", paramLabel = "KEY", description = "The setting.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "Its value: JSON, or else text.")
        String value;

        @Override
        public Integer call() {
            JsonNode parsed = parse(value);
            return parent.change(key, parsed.isNull() ? null : parsed, "set " + key + " = " + parsed);
        }

        private static JsonNode parse(String value) {
            try {
                JsonNode n = Json.mapper().readTree(value);
                if (n != null && !n.isMissingNode()) return n;
            } catch (JsonProcessingException e) {
                // not JSON: text
            }
            return Json.mapper().getNodeFactory().textNode(value);
        }
    }

    @Command(name = "unset", description = {"Remove a setting. A KEY the account does not have exits 2 (a typo is"
            + " said, not taken for a setting already gone)."})
    static final class Unset implements Callable<Integer> {
        @ParentCommand
        SettingsCommand parent;

        @Parameters(index = "0", paramLabel = "KEY", description = "The setting.")
        String key;

        @Override
        public Integer call() {
            if (!key.isBlank()) {
                try (Session session = parent.root.openSession()) {
                    if (!session.db().syncedSettings().containsKey(key) && !knownAfterSync(session)) {
                        throw new CliException(ExitCodes.USAGE, "no setting '" + key
                                + "' to unset (novyse settings get lists them)");
                    }
                }
            }
            return parent.change(key, null, "unset " + key);
        }

        /**
         * Whether the key is there once the store has caught up (set on another device a moment ago); true when the
         * sync failed, so that the unset itself says why with its own exit code (offline, signed out, refused).
         */
        private boolean knownAfterSync(Session session) {
            try {
                session.client().syncEngine().sync();
            } catch (ApiException failed) {
                return true;
            }
            return session.db().syncedSettings().containsKey(key);
        }
    }

    int change(String key, JsonNode value, String done) {
        if (key.isBlank()) {
            throw new CliException(ExitCodes.USAGE, "a setting's KEY cannot be blank");
        }
        return ServerActions.onAccount(root, "settings " + (value == null ? "unset" : "set"), actions -> {
            actions.setPreference(key, value);
            return done;
        });
    }

    /** One line of {@code settings get --format jsonl} (docs/output.md): the value as the JSON it is. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SettingLine(String key, JsonNode value) {
        static SettingLine of(String key, String json) {
            try {
                return new SettingLine(key, Json.mapper().readTree(json));
            } catch (JsonProcessingException e) {
                return new SettingLine(key, Json.mapper().getNodeFactory().textNode(json));
            }
        }

        /** The value alone, for {@code $(novyse settings get KEY)}: a string without its quotes. */
        String bare() {
            return value.isTextual() ? value.textValue() : value.toString();
        }
    }
}
