package dev.novyse.cli;

import dev.novyse.store.LocalDatabase;
import dev.novyse.store.MessageView;
import dev.novyse.store.ReadMarker;
import dev.novyse.sync.ChatActions;
import dev.novyse.tui.ReactionInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.IOException;
import java.util.concurrent.Callable;

@Command(name = "message", description = {
        "Act on one message: edit, delete, react, pin, mark read, favourite.",
        "CHAT and ID are what 'watch' and 'export' print (chat, id; --sub for sub), so a script can act on"
                + " what it watches. Each needs the server: exit 4 when it is unreachable (nothing is queued,"
                + " except by 'react' and 'unreact', which exit 7 and leave it to the next sync), 5 when it refuses"
                + " (e.g. editing someone else's message), 2 for an unknown chat. The change reaches the local store"
                + " through the sync that follows."},
        subcommands = {MessageCommand.Edit.class, MessageCommand.Delete.class, MessageCommand.React.class,
                MessageCommand.Unreact.class, MessageCommand.Pin.class, MessageCommand.Unpin.class,
                MessageCommand.Read.class, MessageCommand.Favorite.class})
final class MessageCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return ExitCodes.USAGE;
    }

    /** CHAT ID [--sub SUB]: the message every subcommand acts on. */
    static final class Target {
        @Parameters(index = "0", paramLabel = "CHAT", description = SharedOptions.CHAT_WORDS)
        String chat;

        @Parameters(index = "1", paramLabel = "ID", description = "The message id ('id' in watch and export).")
        long id;

        @Option(names = "--sub", paramLabel = "SUB", description = "A forum's sub, by id or name (default: ${DEFAULT-VALUE},"
                + " its first), as 'export' and 'search' name it.", defaultValue = "0")
        String sub;
    }

    interface OnMessage {
        /** Calls the server about message {@code id} of (chat, sub); returns what was done, for stderr. */
        String apply(ChatActions actions, String chatUUID, int sub, long id, String chatTitle);
    }

    int act(Target t, String what, OnMessage action) {
        return react(t, what, (actions, db, chat, sub, id, title) -> action.apply(actions, chat, sub, id, title));
    }

    interface OnReaction {
        /** As {@link OnMessage}, with the local store, where the account's own reactions are. */
        String apply(ChatActions actions, LocalDatabase db, String chatUUID, int sub, long id, String chatTitle);
    }

    int react(Target t, String what, OnReaction action) {
        if (t.id < 1) {
            throw new CliException(ExitCodes.USAGE, "a message ID is 1 or more");
        }
        return ServerActions.onChat(root, t.chat, what, (actions, chat, db) -> action.apply(actions, db, chat.uuid(),
                t.sub.strip().equals("0") ? 0 : ChatSubCommands.find(db, chat, t.sub).id(), t.id, chat.title()));
    }

    /**
     * The account's own reaction on the stored message that is the emoji {@code typed} stands for ({@code reaction}),
     * in the form it was added: another client may have added ❤ without the sign that ❤️, the emoji's normal form,
     * has. Reacting again then keeps one and taking it back finds it, as in the chat screen. Else {@code reaction}.
     */
    static String asAdded(LocalDatabase db, String chat, int sub, long id, String typed, String reaction) {
        for (MessageView v : db.before(chat, sub, id == Long.MAX_VALUE ? id : id + 1, 1)) {
            if (v.id() != id) continue;
            for (MessageView.ReactionCount r : v.reactions()) {
                if (r.mine() && (r.emoji().equals(typed.strip()) || reaction.equals(ReactionInput.emoji(r.emoji())))) {
                    return r.emoji();
                }
            }
        }
        return reaction;
    }

    /** {@code done} when the server took the reaction; queued offline, exit 7 saying so (as {@code send} does). */
    static String queuedUnless(boolean sent, String done) {
        if (sent) return done;
        throw new CliException(ExitCodes.QUEUED, "server unreachable; the reaction is queued and goes out with the next"
                + " 'novyse sync' or in the chat screen");
    }

    @Command(name = "edit", description = "Replace the text of your own message.")
    static final class Edit implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Parameters(index = "2", paramLabel = "TEXT", description = "The new text; '-' reads stdin.")
        String text;

        @Override
        public Integer call() throws IOException {
            String content = text.equals("-") ? SendCommand.readStdin() : text;
            if (content.isBlank()) {
                throw new CliException(ExitCodes.USAGE, "refusing to edit a message to nothing (delete it instead)");
            }
            return parent.act(target, "message edit", (a, chat, sub, id, title) -> {
                a.edit(chat, sub, id, content);
                return "edited #" + id + " in " + title;
            });
        }
    }

    @Command(name = "delete", description = "Delete a message for everyone (your own; a chat's admins may delete any).")
    static final class Delete implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return parent.act(target, "message delete", (a, chat, sub, id, title) -> {
                a.delete(chat, sub, id);
                return "deleted #" + id + " in " + title;
            });
        }
    }

    @Command(name = "react", description = "Add your reaction (an emoji) to a message; adding it twice keeps one.")
    static final class React implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Parameters(index = "2", paramLabel = "EMOJI", description = "The reaction: an emoji, e.g. 👍, or its shortcode,"
                + " e.g. :thumbsup: or +1.")
        String emoji;

        @Override
        public Integer call() {
            String wanted = refusedUnlessEmoji(emoji);
            return parent.react(target, "message react", (a, db, chat, sub, id, title) -> {
                String reaction = asAdded(db, chat, sub, id, emoji, wanted);
                String done = "reacted " + reaction + " to #" + id + " in " + title;
                return queuedUnless(a.react(chat, sub, id, reaction, true), done);
            });
        }

        /** The emoji {@code typed} stands for ({@link ReactionInput}); a word is a usage error, nothing is sent. */
        static String refusedUnlessEmoji(String typed) {
            String reaction = ReactionInput.emoji(typed);
            if (reaction == null) {
                throw new CliException(ExitCodes.USAGE, "'" + typed.strip() + "' is not an emoji; a reaction is one emoji"
                        + " or its shortcode in colons (e.g. 👍, :thumbsup: or +1)");
            }
            return reaction;
        }
    }

    @Command(name = "unreact", description = "Take your reaction off a message.")
    static final class Unreact implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Parameters(index = "2", paramLabel = "EMOJI", description = "The reaction to take back (or its shortcode).")
        String emoji;

        @Override
        public Integer call() {
            String wanted = React.refusedUnlessEmoji(emoji);
            return parent.react(target, "message unreact", (a, db, chat, sub, id, title) -> {
                String reaction = asAdded(db, chat, sub, id, emoji, wanted);
                String done = "took " + reaction + " off #" + id + " in " + title;
                return queuedUnless(a.react(chat, sub, id, reaction, false), done);
            });
        }
    }

    @Command(name = "pin", description = "Pin a message for everyone in the chat.")
    static final class Pin implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return parent.act(target, "message pin", (a, chat, sub, id, title) -> {
                a.pin(chat, sub, id, true);
                return "pinned #" + id + " in " + title;
            });
        }
    }

    @Command(name = "unpin", description = "Unpin a message.")
    static final class Unpin implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return parent.act(target, "message unpin", (a, chat, sub, id, title) -> {
                a.pin(chat, sub, id, false);
                return "unpinned #" + id + " in " + title;
            });
        }
    }

    @Command(name = "read", description = "Mark a sub read up to this message (a read mark only moves forward).")
    static final class Read implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return parent.react(target, "message read", (a, db, chat, sub, id, title) -> {
                // A read mark only moves forward: one already past the message is said as it stays.
                long mine = ReadMarker.upTo(db.readMarkers(chat, sub), db.accountUserUUID().orElse(""));
                a.markRead(chat, sub, id);
                return mine > id ? "already read up to #" + mine + " in " + title + " (a read mark only moves forward)"
                        : "read up to #" + id + " in " + title;
            });
        }
    }

    @Command(name = "favorite", description = "Add a message to your favourites (on every device of the account), or --remove it.")
    static final class Favorite implements Callable<Integer> {
        @ParentCommand
        MessageCommand parent;

        @Mixin
        Target target;

        @Option(names = "--remove", description = "Take it off your favourites instead.")
        boolean remove;

        @Override
        public Integer call() {
            return parent.act(target, "message favorite", (a, chat, sub, id, title) -> {
                a.favorite(chat, sub, id, !remove);
                return (remove ? "unfavourited #" : "favourited #") + id + " in " + title;
            });
        }
    }
}
