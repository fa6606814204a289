package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.Role;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MemberView;
import dev.novyse.sync.ChatActions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "chat", description = {"Make, join, leave, rename and pin chats; show one with its members.",
        "'info' and 'members' read the local store; the others need the server and are refused with exit 4 when it",
        "is unreachable (nothing is queued), 5 when it refuses (e.g. a member renaming: only admins may)."},
        subcommands = {ChatCommand.Create.class, ChatCommand.Join.class, ChatCommand.Leave.class,
                ChatCommand.Rename.class, ChatCommand.Info.class, ChatCommand.Members.class, ChatCommand.Pin.class,
                ChatCommand.Unpin.class})
final class ChatCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /** A chat as {@code chats} prints it: the same line, text or JSON. */
    static void print(ChatSummary chat, OutputFormat format) {
        OutputWriter.stdout(format).record(ChatsCommand.ChatLine.of(chat), () -> ChatsCommand.textLine(chat));
    }

    int act(String wanted, String what, ServerActions.OnChat action) {
        return ServerActions.onChat(root, wanted, what, action);
    }

    enum Kind { group, channel, forum }

    @Command(name = "create", description = {"Create a group, channel or forum and print it as 'chats' does.",
            "MEMBERs are @handle, handle or display name; you are its admin."})
    static final class Create implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Parameters(index = "0", paramLabel = "NAME", description = "The chat's name.")
        String name;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "MEMBER", description = "People to add: @handle, handle or name.")
        List<String> members = new ArrayList<>();

        @Option(names = "--type", description = "group, channel or forum (default: ${DEFAULT-VALUE}).", defaultValue = "group")
        Kind type;

        @Option(names = "--handle", paramLabel = "H", description = "A public handle, so others can 'chat join' it.")
        String handle;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                ChatActions actions = ServerActions.open(session);
                List<String> uuids = new ArrayList<>();
                for (String m : members) {
                    uuids.add(UserResolver.resolve(session.db(), actions, m).uuid());
                }
                String uuid = ServerActions.call("chat create", () -> actions.createWith(
                        type.name().toUpperCase(Locale.ROOT), name, handle, uuids));
                print(stored(session, uuid, "created"), format);
            }
            return ExitCodes.OK;
        }
    }

    /** The chat {@code uuid} after the follow-up sync stored it. */
    static ChatSummary stored(Session session, String uuid, String done) {
        ServerActions.syncQuietly(session.client(), done);
        return session.db().chat(uuid).orElseThrow(() -> new CliException(ExitCodes.SERVER,
                done + ", but the sync did not bring the chat; run 'novyse sync'"));
    }

    @Command(name = "join", description = "Join a public group, channel or forum by its handle and print it as 'chats' does.")
    static final class Join implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Parameters(index = "0", paramLabel = "HANDLE", description = "The chat's handle (@team or team).")
        String handle;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                ChatActions actions = ServerActions.open(session);
                String uuid = ServerActions.call("chat join", () -> actions.join(handle));
                print(stored(session, uuid, "joined"), format);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "leave", description = "Leave a group, channel or forum (a DM cannot be left); the store drops it.")
    static final class Leave implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat leave", (a, c, db) -> {
                a.leave(c.uuid());
                return "left " + c.title();
            });
        }
    }

    @Command(name = "rename", description = "Rename a group, channel or forum (its admins may).")
    static final class Rename implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "NAME", description = "The new name.")
        String name;

        @Override
        public Integer call() {
            if (name.isBlank()) {
                throw new CliException(ExitCodes.USAGE, "a chat's name cannot be blank");
            }
            return parent.act(chat.wanted, "chat rename", (a, c, db) -> {
                a.rename(c.uuid(), name.strip());
                return "renamed " + c.title() + " to " + name.strip();
            });
        }
    }

    @Command(name = "pin", description = "Pin a chat to the top of your chat list (on every device of the account).")
    static final class Pin implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--position", paramLabel = "N", description = "Place among the pinned chats, from 0 (default: after the last).")
        Integer position;

        @Override
        public Integer call() {
            if (position != null && position < 0) {
                throw new CliException(ExitCodes.USAGE, "--position must be 0 or more");
            }
            return parent.act(chat.wanted, "chat pin", (a, c, db) -> {
                a.pinChat(c.uuid(), position != null ? position
                        : c.pinnedPosition() != null ? c.pinnedPosition() : nextPinPosition(db));
                return "pinned " + c.title();
            });
        }

        private static int nextPinPosition(LocalDatabase db) {
            return db.chatList(100_000).stream().filter(c -> c.pinnedPosition() != null)
                    .mapToInt(ChatSummary::pinnedPosition).max().orElse(-1) + 1;
        }
    }

    @Command(name = "unpin", description = "Take a chat off the pinned ones.")
    static final class Unpin implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat unpin", (a, c, db) -> {
                a.pinChat(c.uuid(), null);
                return "unpinned " + c.title();
            });
        }
    }

    @Command(name = "info", description = {"A chat from the local store: its type, handle, pin, unread count and",
            "members with their roles; --format jsonl prints it as one JSON line."})
    static final class Info implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Mixin
        SharedOptions.SyncFirst syncFirst;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                syncFirst.ifAsked(session);
                LocalDatabase db = session.db();
                ChatSummary c = chat.resolve(db);
                List<MemberLine> members = MemberLine.of(db, c.uuid());
                ChatInfoLine line = new ChatInfoLine(c.uuid(), c.type(), c.title(), c.handle(), c.pinnedPosition(),
                        c.unreadCount(), members);
                OutputWriter out = OutputWriter.stdout(format);
                if (format == OutputFormat.jsonl) {
                    out.json(line);
                    return ExitCodes.OK;
                }
                out.text(c.title() + " (" + c.type() + (c.handle() == null ? "" : ", @" + c.handle()) + ")"
                        + (c.pinnedPosition() == null ? "" : ", pinned") + (c.unreadCount() > 0 ? ", " + c.unreadCount() + " unread" : ""));
                out.text(members.size() == 1 ? "1 member:" : members.size() + " members:");
                for (MemberLine m : members) {
                    if (out.closed()) break;
                    out.text("  " + m.text());
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "members", description = "A chat's members from the local store, one per line, with their roles.")
    static final class Members implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Mixin
        SharedOptions.SyncFirst syncFirst;

        @Override
        public Integer call() {
            try (Session session = parent.root.openSession()) {
                syncFirst.ifAsked(session);
                LocalDatabase db = session.db();
                OutputWriter out = OutputWriter.stdout(format);
                for (MemberLine m : MemberLine.of(db, chat.resolve(db).uuid())) {
                    if (out.closed()) break;
                    out.record(m, m::text);
                }
            }
            return ExitCodes.OK;
        }
    }

    /** One line of {@code chat info --format jsonl} (docs/output.md). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record ChatInfoLine(String uuid, String type, String title, String handle, Integer pinned, int unread,
                        List<MemberLine> members) {
    }

    /** A member as {@code chat members --format jsonl} prints it (docs/output.md); roles by name. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MemberLine(String user, String name, String handle, List<String> roles, String joinedAt) {
        static List<MemberLine> of(LocalDatabase db, String chatUUID) {
            Map<Integer, String> roleNames = new HashMap<>();
            for (Role r : db.roles(chatUUID)) {
                roleNames.put(r.id(), r.name());
            }
            List<MemberLine> out = new ArrayList<>();
            for (MemberView m : db.members(chatUUID)) {
                List<String> roles = m.roleIDs().stream().map(id -> roleNames.getOrDefault(id, "role " + id)).toList();
                out.add(new MemberLine(m.userUUID(), m.name(), m.handle(), roles, OutboxCommand.time(m.joinedAt())));
            }
            return out;
        }

        String text() {
            return (name == null ? user : name) + (handle == null ? "" : " @" + handle)
                    + (roles.isEmpty() ? "" : "  " + String.join(", ", roles));
        }
    }
}
