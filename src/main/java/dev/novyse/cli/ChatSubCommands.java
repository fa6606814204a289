package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.novyse.account.Session;
import dev.novyse.protocol.Sub;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.SubUnread;
import dev.novyse.sync.ChatActions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code chat sub list|create|rename|delete}: a forum's subs (its topics), as the chat screen's {@code /sub} makes
 * them. Listing reads the store; the others need the server, where a forum's admins may (MANAGE_SUBS). Sub 0 is the
 * forum's own first one: it is neither renamed nor deleted.
 */
final class ChatSubCommands {
    private ChatSubCommands() {
    }

    @Command(name = "sub", description = "List a forum's subs (its topics); start, rename or delete one (its admins may).",
            subcommands = {ListSubs.class, Create.class, Rename.class, Delete.class})
    static final class SubCommand implements Callable<Integer> {
        @ParentCommand
        ChatCommand parent;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            spec.commandLine().usage(System.err);
            return ExitCodes.USAGE;
        }
    }

    /** A sub as {@code chat sub list --format jsonl} prints it (docs/output.md). */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    record SubLine(String chat, int sub, String name, int unread) {
        String text() {
            return sub + "\t" + name + (unread > 0 ? "\t(" + unread + ")" : "");
        }

        static List<SubLine> of(LocalDatabase db, String chatUUID) {
            Map<Integer, Integer> unread = db.subUnread(chatUUID).stream()
                    .collect(Collectors.toMap(SubUnread::subID, SubUnread::unreadCount, (a, b) -> a));
            return db.subs(chatUUID).stream()
                    .map(s -> new SubLine(chatUUID, s.id(), s.name(), unread.getOrDefault(s.id(), 0))).toList();
        }
    }

    @Command(name = "list", description = "List a forum's subs from the local store: id, name, unread messages.")
    static final class ListSubs implements Callable<Integer> {
        @ParentCommand
        SubCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Mixin
        SharedOptions.SyncFirst syncFirst;

        @Override
        public Integer call() {
            try (Session session = parent.parent.root.openSession()) {
                syncFirst.ifAsked(session);
                OutputWriter out = OutputWriter.stdout(format);
                for (SubLine s : SubLine.of(session.db(), forum(chat.resolve(session.db())).uuid())) {
                    if (out.closed()) break;
                    out.record(s, s::text);
                }
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "create", description = "Start a sub in a forum and print it as 'chat sub list' does.")
    static final class Create implements Callable<Integer> {
        @ParentCommand
        SubCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "NAME", description = "The sub's name.")
        String name;

        @Option(names = "--format", description = "text or jsonl (default: ${DEFAULT-VALUE}).", defaultValue = "text")
        OutputFormat format;

        @Override
        public Integer call() {
            String n = ChatCommand.nameOf(name, "a sub's");
            try (Session session = parent.parent.root.openSession()) {
                ChatActions actions = ServerActions.open(session);
                ChatSummary forum = forum(ChatResolver.resolve(session.db(), chat.wanted));
                int id = ServerActions.call("chat sub create", () -> actions.createSub(forum.uuid(), n));
                String done = "started " + n + " (sub " + id + ") in " + forum.title();
                ServerActions.syncQuietly(session.client(), done);
                System.err.println(done);
                SubLine made = SubLine.of(session.db(), forum.uuid()).stream().filter(s -> s.sub() == id).findFirst()
                        .orElse(new SubLine(forum.uuid(), id, n, 0)); // the sync failed (warned): as the server said
                OutputWriter.stdout(format).record(made, made::text);
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "rename", description = "Rename a forum's sub.")
    static final class Rename implements Callable<Integer> {
        @ParentCommand
        SubCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "SUB", description = "The sub: its id or its name.")
        String sub;

        @Parameters(index = "2", paramLabel = "NAME", description = "The new name.")
        String name;

        @Override
        public Integer call() {
            String n = ChatCommand.nameOf(name, "a sub's");
            return onSub(parent, chat, sub, "chat sub rename", (a, c, s) -> {
                a.renameSub(c.uuid(), s.id(), n);
                return "renamed " + s.name() + " to " + n + " in " + c.title();
            });
        }
    }

    @Command(name = "delete", description = "Delete a forum's sub with all its messages, for everyone (no question asked).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        SubCommand parent;

        @Mixin
        SharedOptions.ChatArgument chat;

        @Parameters(index = "1", paramLabel = "SUB", description = "The sub: its id or its name.")
        String sub;

        @Override
        public Integer call() {
            return onSub(parent, chat, sub, "chat sub delete", (a, c, s) -> {
                a.deleteSub(c.uuid(), s.id());
                return "deleted " + s.name() + " from " + c.title();
            });
        }
    }

    /** An action on one sub: calls the server and returns what was done, in words for stderr. */
    private interface OnSub {
        String apply(ChatActions actions, ChatSummary forum, Sub sub);
    }

    /** The whole of rename or delete: the store synced first (names as the server has them now), the sub resolved. */
    private static int onSub(SubCommand parent, SharedOptions.ChatArgument chat, String sub, String what, OnSub action) {
        return ServerActions.onChat(parent.parent.root, chat.wanted, what, true,
                (a, c, db) -> action.apply(a, forum(c), named(db, forum(c), sub)));
    }

    /** {@code chat}, when it is a forum: only a forum shows subs (the chat screen lists them under it). */
    static ChatSummary forum(ChatSummary chat) {
        if (!"FORUM".equals(chat.type())) {
            throw new CliException(ExitCodes.USAGE, chat.title() + " is not a forum; only a forum has subs");
        }
        return chat;
    }

    /**
     * The sub {@code wanted} names: by id, else by its exact name, else by its name in any case; never sub 0, which
     * stays as the forum made it. Two subs may share a name: a name that fits more than one is refused (their ids
     * tell them apart), never guessed, since delete takes a sub's messages with it.
     */
    static Sub named(LocalDatabase db, ChatSummary forum, String wanted) {
        Sub found = find(db, forum, wanted);
        if (found.id() == 0) {
            throw new CliException(ExitCodes.USAGE, "sub 0 is the forum's own first sub; it is neither renamed nor deleted");
        }
        return found;
    }

    /** As {@link #named}, sub 0 included (a message may go there). */
    static Sub find(LocalDatabase db, ChatSummary forum, String wanted) {
        List<Sub> subs = db.subs(forum.uuid());
        String w = wanted.strip();
        List<Sub> byId = subs.stream().filter(s -> w.equals(Integer.toString(s.id()))).toList();
        List<Sub> exact = subs.stream().filter(s -> w.equals(s.name())).toList();
        List<Sub> anyCase = subs.stream().filter(s -> s.name() != null && s.name().equalsIgnoreCase(w)).toList();
        if (!byId.isEmpty() && !anyCase.isEmpty() && anyCase.stream().noneMatch(byId::contains)) {
            throw new CliException(ExitCodes.USAGE, "'" + w + "' is the id of one sub of " + forum.title()
                    + " and the name of another; name it by the id of the one you mean");
        }
        List<Sub> found = !byId.isEmpty() ? byId : !exact.isEmpty() ? exact : anyCase;
        if (found.isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "no sub '" + w + "' in " + forum.title()
                    + " ('novyse chat sub list' lists them)");
        }
        if (found.size() > 1) {
            throw new CliException(ExitCodes.USAGE, found.size() + " subs of " + forum.title() + " are named '" + w
                    + "' (ids " + found.stream().map(s -> Integer.toString(s.id())).collect(Collectors.joining(", "))
                    + "); name the one you mean by its id");
        }
        return found.get(0);
    }
}
