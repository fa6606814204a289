package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.User;
import dev.novyse.state.People;
import dev.novyse.state.ProfileFields;
import dev.novyse.store.LocalDatabase;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "profile", description = {
        "Show your profile (from the local store), someone else's with 'show USER', or change yours with"
                + " 'set'. 'set' needs the server: exit 4 when it is unreachable, 5 when it refuses."},
        subcommands = {ProfileCommand.Show.class, ProfileCommand.Set.class})
final class ProfileCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
    OutputFormat format;

    @Override
    public Integer call() {
        try (Session session = root.openSession()) {
            LocalDatabase db = session.db();
            String me = db.accountUserUUID().orElse(session.credentials().userUUID());
            User user = db.user(me).orElseThrow(() -> new CliException(ExitCodes.USAGE,
                    "your profile is not in the local store yet; run 'novyse sync' first"));
            print(user, format);
        }
        return ExitCodes.OK;
    }

    static void print(User u, OutputFormat format) {
        ProfileLine line = ProfileLine.of(u);
        OutputWriter out = OutputWriter.stdout(format);
        if (format == OutputFormat.jsonl) {
            out.json(line);
            return;
        }
        for (String l : People.profileLines(u)) out.text(l);
    }

    @Command(name = "show", description = "Someone's profile from the local store: USER is @handle, handle or display name.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        ProfileCommand parent;

        @Parameters(index = "0", paramLabel = "USER", description = "@handle, handle or display name.")
        String user;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                print(UserResolver.resolveLocal(session.db(), user), format);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "set", description = {
            "Change your profile: each option given, an empty value clearing it (the name cannot be cleared)."
                    + " Your contacts see the change with their next sync."})
    static final class Set implements Callable<Integer> {
        @ParentCommand
        ProfileCommand parent;

        @Option(names = "--name", description = "Your first name (shown to others).")
        String name;

        @Option(names = "--surname", description = "Your surname.")
        String surname;

        @Option(names = "--bio", description = "A few words about you (at most 1024 characters).")
        String bio;

        @Option(names = "--color", paramLabel = "#RRGGBB", description = "Your colour, e.g. #3b82f6.")
        String color;

        @Option(names = "--birthday", paramLabel = "YYYY-MM-DD", description = "Your birthday.")
        String birthday;

        @Option(names = "--handle", paramLabel = "HANDLE", description = {"Your @handle: how others find and mention you,",
                "and the name you sign in with from now on (3-32 of a-z, 0-9, '_', '.')."})
        String handle;

        @Override
        public Integer call() {
            Map<String, String> changes = changes();
            return ServerActions.onAccount(parent.root, "profile set", actions -> {
                actions.updateProfile(changes);
                return "profile updated: " + String.join(", ", changes.keySet());
            });
        }

        /** The fields to change, in the server's words, each checked ({@link ProfileFields}) before anything is sent. */
        private Map<String, String> changes() {
            Map<String, String> given = new LinkedHashMap<>();
            given.put("name", name);
            given.put("surname", surname);
            given.put("bio", bio);
            given.put("color", color);
            given.put("birthday", birthday);
            given.put("handle", handle);
            Map<String, String> changes = new LinkedHashMap<>();
            given.forEach((field, value) -> {
                if (value == null) return;
                try {
                    changes.put(ProfileFields.SERVER_NAMES.get(field), ProfileFields.checked(field, value));
                } catch (IllegalArgumentException e) {
                    throw new CliException(ExitCodes.USAGE, "--" + field + ": " + e.getMessage());
                }
            });
            if (changes.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "nothing to change: give --name, --surname, --bio, --color, --birthday or --handle");
            }
            return changes;
        }
    }

    /** One line of {@code profile --format jsonl} (docs/output.md): every field, null when not set. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ProfileLine(String uuid, String name, String surname, String handle, String biography, String birthday,
                       String color, String region, String country) {
        static ProfileLine of(User u) {
            return new ProfileLine(u.uuid(), u.name(), u.surname(), u.handle(), u.biography(), u.birthday(),
                    u.color(), u.region(), u.country());
        }
    }
}
