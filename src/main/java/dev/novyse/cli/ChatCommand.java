package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.Role;
import dev.novyse.store.ChatPrefs;
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

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "chat", description = {
        "Make, join, leave, rename, describe and pin chats; show one with its members; invite, kick, ban and"
                + " unban people, make admins, hand a chat over; mute a chat or file it in a folder; list, start,"
                + " rename and delete a forum's subs.",
        "'info', 'members' and 'sub list' read the local store; the others need the server and are refused with exit 4"
                + " when it is unreachable (nothing is queued), 5 when it refuses (e.g. a member renaming or kicking:"
                + " only admins may)."},
        subcommands = {ChatCommand.Create.class, ChatCommand.Join.class, ChatCommand.Leave.class,
                ChatCommand.Rename.class, ChatCommand.Describe.class, ChatCommand.Handle.class, ChatCommand.Info.class,
                ChatCommand.Members.class, ChatCommand.Read.class, ChatCommand.Pin.class, ChatCommand.Unpin.class,
                ChatModerationCommands.Invite.class, ChatModerationCommands.Kick.class, ChatModerationCommands.Ban.class,
                ChatModerationCommands.Unban.class, ChatModerationCommands.Bans.class, ChatModerationCommands.Admin.class,
                ChatModerationCommands.Owner.class, ChatPrefsCommands.Mute.class, ChatPrefsCommands.Unmute.class,
                ChatPrefsCommands.Folder.class, ChatSubCommands.SubCommand.class})
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

    /**
     * {@code name} stripped, as a chat's or a sub's name may be: not blank, one line (a line break or tab in a name
     * broke every listing that prints a chat per line), and no longer than the server takes.
     */
    static String nameOf(String name, String whose) {
        if (name.isBlank()) throw new CliException(ExitCodes.USAGE, whose + " name cannot be blank");
        if (name.strip().codePoints().anyMatch(Character::isISOControl)) {
            throw new CliException(ExitCodes.USAGE, whose + " name is one line: no line breaks, tabs or control characters");
        }
        if (name.strip().length() > 128) { // the server's limit, in its own measure (UTF-16 units)
            throw new CliException(ExitCodes.USAGE, whose + " name is at most 128 characters; this one has "
                    + name.strip().length());
        }
        return name.strip();
    }

    /** A chat as {@code chats} prints it: the same line, text or JSON. */
    static void print(ChatSummary chat, LocalDatabase db, OutputFormat format) {
        ChatPrefs prefs = ChatPrefs.of(db.syncedSettings()).getOrDefault(chat.uuid(), ChatPrefs.NONE);
        Instant now = Instant.now();
        OutputWriter.stdout(format).record(ChatsCommand.ChatLine.of(chat, db.accountRoles(), prefs, now),
                () -> ChatsCommand.textLine(chat, prefs, now));
    }

    int act(String wanted, String what, ServerActions.OnChat action) {
        return ServerActions.onChat(root, wanted, what, action);
    }

    enum Kind { group, channel, forum }

    @Command(name = "create", description = {"Create a group, channel or forum and print it as 'chats' does.",
            "MEMBERs are @handle, handle or display name; you are its owner."})
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
            String name = nameOf(this.name, "a chat's"); // before the server is asked (it answered 400: exit 5)
            try (Session session = parent.root.openSession()) {
                ChatActions actions = ServerActions.open(session);
                List<String> uuids = new ArrayList<>();
                for (String m : members) {
                    uuids.add(UserResolver.resolve(session.db(), actions, m).uuid());
                }
                String uuid = ServerActions.call("chat create", () -> actions.createWith(
                        type.name().toUpperCase(Locale.ROOT), name, handle, uuids));
                print(stored(session, uuid, "created"), session.db(), format);
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
                print(stored(session, uuid, "joined"), session.db(), format);
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
                if ("DM".equals(c.type())) { // the server refuses it too; said here, before asking it
                    throw new CliException(ExitCodes.USAGE, c.title() + " is a DM, and a DM cannot be left"
                            + " (mute it: novyse chat mute)");
                }
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
            String name = nameOf(this.name, "a chat's");
            return parent.act(chat.wanted, "chat rename", (a, c, db) -> {
                a.rename(c.uuid(), name);
                return "renamed " + c.title() + " to " + name.strip();
            });
        }
    }

    @Command(name = "describe", description = "Set a group's, channel's or forum's description; \"\" clears it (its admins may).")
    static final class Describe implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "TEXT", description = "The description.")
        String text;

        @Override
        public Integer call() {
            return parent.act(chat.wanted, "chat describe", (a, c, db) -> {
                a.describe(c.uuid(), text.isBlank() ? null : text.strip());
                return (text.isBlank() ? "cleared the description of " : "described ") + c.title();
            });
        }
    }

    @Command(name = "handle", description = {
            "Give a group, channel or forum a new handle, or drop it with --remove (then nobody can 'chat join'"
                    + " it); its admins may. A handle taken by another chat or user is refused."})
    static final class Handle implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", arity = "0..1", paramLabel = "HANDLE", description = "The new handle (@team or team).")
        String handle;

        @Option(names = "--remove", description = "Drop the chat's handle instead.")
        boolean remove;

        @Override
        public Integer call() {
            if (remove == (handle != null)) {
                throw new CliException(ExitCodes.USAGE, "give either a HANDLE or --remove");
            }
            String h = handle == null ? null : handle.strip().replaceFirst("^@", "");
            if (h != null && h.isEmpty()) {
                throw new CliException(ExitCodes.USAGE, "a handle cannot be blank");
            }
            return parent.act(chat.wanted, "chat handle", (a, c, db) -> {
                a.changeHandle(c.uuid(), h);
                return h == null ? "dropped the handle of " + c.title() : c.title() + " is now @" + h;
            });
        }
    }

    @Command(name = "read", description = {"Mark a chat read: each of its subs up to its newest message as the server"
            + " has it now (the chat's members see the read mark, as from the chat screen). --all: every chat with"
            + " unread messages, as after a holiday."})
    static final class Read implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @Parameters(index = "0", arity = "0..1", paramLabel = "CHAT", description = SharedOptions.CHAT_WORDS)
        String wanted;

        @Option(names = "--all", description = "Every chat with unread messages instead of one.")
        boolean all;

        @Override
        public Integer call() {
            if (all == (wanted != null)) throw new CliException(ExitCodes.USAGE, "give one CHAT, or --all");
            if (!all) {
                return ServerActions.onChat(parent.root, wanted, "chat read", true, (a, c, db) -> {
                    int subs = markRead(a, db, c);
                    return subs == 0 ? "nothing unread in " + c.title() : "read " + c.title()
                            + ("FORUM".equals(c.type()) ? " (" + subs + (subs == 1 ? " sub)" : " subs)") : "");
                });
            }
            return ServerActions.onSyncedStore(parent.root, "chat read --all", (a, db) -> {
                int chats = 0;
                for (ChatSummary c : db.chatList(100_000)) {
                    if (c.unreadCount() > 0 && markRead(a, db, c) > 0) chats++;
                }
                return chats == 0 ? "nothing unread" : "read " + chats + (chats == 1 ? " chat" : " chats");
            });
        }

        /** Marks each sub of {@code c} with messages unread up to its newest one; returns how many subs. */
        private static int markRead(ChatActions a, LocalDatabase db, ChatSummary c) {
            int marked = 0;
            for (dev.novyse.store.SubUnread u : db.subUnread(c.uuid())) {
                if (u.unreadCount() == 0) continue;
                a.markRead(c.uuid(), u.subID(), u.newestId());
                marked++;
            }
            return marked;
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

    @Command(name = "info", description = {
            "A chat from the local store: its type, handle, description, pin, unread count and members with their"
                    + " roles; --format jsonl prints it as one JSON line."})
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
                ChatPrefs prefs = ChatPrefs.of(db.syncedSettings()).getOrDefault(c.uuid(), ChatPrefs.NONE);
                Instant now = Instant.now();
                ChatInfoLine line = new ChatInfoLine(c.uuid(), c.type(), c.title(), c.handle(), c.pinnedPosition(),
                        c.unreadCount(), db.chatDescription(c.uuid()).orElse(null), members,
                        RoleNames.highest(db.accountRoles().getOrDefault(c.uuid(), List.of())),
                        prefs.muted(now), prefs.mutedUntil(now), prefs.folder());
                OutputWriter out = OutputWriter.stdout(format);
                if (format == OutputFormat.jsonl) {
                    out.json(line);
                    return ExitCodes.OK;
                }
                out.text(c.title() + " (" + c.type() + (c.handle() == null ? "" : ", @" + c.handle()) + ")"
                        + (c.pinnedPosition() == null ? "" : ", pinned") + (c.unreadCount() > 0 ? ", " + c.unreadCount() + " unread" : "")
                        + (line.role() == null ? "" : "; you are " + line.role())
                        + (!line.muted() ? "" : ChatPrefs.FOREVER.equals(line.mutedUntil()) ? "; muted" : "; muted until " + line.mutedUntil())
                        + (line.folder() == null ? "" : "; in folder " + line.folder()));
                if (line.description() != null) out.text(line.description());
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
                        String description, List<MemberLine> members, String role, boolean muted, String mutedUntil, String folder) {
    }

    /**
     * A member as {@code chat members --format jsonl} prints it (docs/output.md): every role by name, and the highest
     * as {@code role} (what the text line shows; {@link RoleNames}).
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record MemberLine(String user, String name, String handle, List<String> roles, String joinedAt, String role) {
        static List<MemberLine> of(LocalDatabase db, String chatUUID) {
            List<Role> chatRoles = db.roles(chatUUID);
            List<MemberLine> out = new ArrayList<>();
            for (MemberView m : db.members(chatUUID)) {
                List<Role> held = RoleNames.held(chatRoles, m.roleIDs());
                out.add(new MemberLine(m.userUUID(), m.name(), m.handle(), held.stream().map(RoleNames::name).toList(),
                        OutboxCommand.time(m.joinedAt()), RoleNames.highest(held)));
            }
            return out;
        }

        String text() {
            return (name == null ? user : name) + (handle == null ? "" : " @" + handle)
                    + (role == null ? "" : "  " + role);
        }
    }
}
