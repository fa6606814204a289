package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.User;
import dev.novyse.state.People;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ChatActions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * The {@code chat} subcommands that change who is in a chat and with which role: invite, kick, ban, unban, bans,
 * admin, owner (docs/protocol.md#moderation). Each runs as every server action does ({@link ServerActions}): the
 * server checks the permission table, a refusal is one line and exit 5, unreachable is exit 4, and the store learns
 * the change from the follow-up sync. USER is {@code @handle}, handle or display name ({@link UserResolver}).
 */
final class ChatModerationCommands {
    private ChatModerationCommands() {
    }

    /** How a USER argument is named, wherever one follows the CHAT here. */
    static final String USER_WORDS = "@handle, handle or display name.";

    @Command(name = "invite", description = {"Add people to a group, channel or forum (its admins may).",
            "A banned user must be unbanned first; someone already in it is skipped."})
    static final class Invite implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1..*", arity = "1..*", paramLabel = "USER", description = USER_WORDS)
        List<String> users = new ArrayList<>();

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat invite", (a, c, db) -> {
                List<User> people = new ArrayList<>();
                for (String u : users) {
                    people.add(UserResolver.resolve(db, a, u));
                }
                List<String> added = a.invite(c.uuid(), people.stream().map(User::uuid).distinct().toList());
                List<String> invited = new ArrayList<>();
                List<String> already = new ArrayList<>();
                for (User u : people) {
                    (added.contains(u.uuid()) ? invited : already).add(People.displayName(u));
                }
                return (invited.isEmpty() ? "invited nobody to " + c.title()
                        : "invited " + String.join(", ", invited.stream().distinct().toList()) + " to " + c.title())
                        + (already.isEmpty() ? "" : "; already in it: " + String.join(", ", already.stream().distinct().toList()));
            });
        }
    }

    @Command(name = "kick", description = {"Remove a member (admins may remove members; the owner, admins too).",
            "They may rejoin or be invited back; 'chat ban' keeps them out."})
    static final class Kick implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "USER", description = USER_WORDS)
        String user;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat kick", (a, c, db) -> {
                User u = UserResolver.resolve(db, a, user);
                a.kick(c.uuid(), u.uuid());
                return "kicked " + People.displayName(u) + " from " + c.title();
            });
        }
    }

    @Command(name = "ban", description = {
            "Ban someone from a group, channel or forum: a member is removed, and nobody banned can join or be"
                    + " invited until 'chat unban' (admins may)."})
    static final class Ban implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "USER", description = USER_WORDS)
        String user;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat ban", (a, c, db) -> {
                User u = UserResolver.resolve(db, a, user);
                a.ban(c.uuid(), u.uuid(), true);
                return "banned " + People.displayName(u) + " from " + c.title();
            });
        }
    }

    @Command(name = "unban", description = "Lift a ban: they may join or be invited again (admins may).")
    static final class Unban implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "USER", description = USER_WORDS)
        String user;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat unban", (a, c, db) -> {
                User u = UserResolver.resolve(db, a, user);
                a.ban(c.uuid(), u.uuid(), false);
                return "unbanned " + People.displayName(u) + " in " + c.title();
            });
        }
    }

    @Command(name = "bans", description = {
            "Who is banned from a chat, oldest ban first, as the server lists it (admins may ask; exit 4 when it"
                    + " is unreachable)."})
    static final class Bans implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                ChatActions actions = ServerActions.open(session);
                LocalDatabase db = session.db();
                ChatSummary c = chat.resolve(db);
                List<ChatActions.Ban> bans = ServerActions.call("chat bans", () -> actions.bans(c.uuid()));
                OutputWriter out = OutputWriter.stdout(format);
                for (ChatActions.Ban b : bans) {
                    if (out.closed()) break;
                    BanLine line = BanLine.of(db, b);
                    out.record(line, line::text);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** One line of {@code chat bans --format jsonl} (docs/output.md); names from the store, null when it has none. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record BanLine(String user, String name, String handle, String by, String byName, String bannedAt) {
        static BanLine of(LocalDatabase db, ChatActions.Ban b) {
            Optional<User> u = db.user(b.userUUID());
            String byName = b.by() == null ? null : db.user(b.by()).map(People::displayName).orElse(null);
            return new BanLine(b.userUUID(), u.map(People::displayName).orElse(null),
                    u.map(User::handle).orElse(null), b.by(), byName, OutboxCommand.time(b.bannedAt()));
        }

        String text() {
            return (name == null ? user : name) + (handle == null ? "" : " @" + handle) + "  banned "
                    + (bannedAt == null ? "" : bannedAt + " ") + "by " + (byName != null ? byName : by);
        }
    }

    @Command(name = "admin", description = {
            "Make a member an admin of a group, channel or forum, or with --revoke a plain member again (the"
                    + " owner may)."})
    static final class Admin implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "USER", description = USER_WORDS)
        String user;

        @Option(names = "--revoke", description = "Take the admin role away instead.")
        boolean revoke;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, revoke ? "chat admin --revoke" : "chat admin", (a, c, db) -> {
                User u = UserResolver.resolve(db, a, user);
                a.setAdmin(c.uuid(), u.uuid(), !revoke);
                return (revoke ? People.displayName(u) + " is no longer an admin of "
                        : "made " + People.displayName(u) + " an admin of ") + c.title();
            });
        }
    }

    @Command(name = "owner", description = {
            "Hand a group, channel or forum over to another member (the owner may); you stay an admin."})
    static final class Owner implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "USER", description = USER_WORDS)
        String user;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat owner", (a, c, db) -> {
                User u = UserResolver.resolve(db, a, user);
                a.transferOwnership(c.uuid(), u.uuid());
                return "handed " + c.title() + " over to " + People.displayName(u) + "; you stay an admin";
            });
        }
    }
}
