package dev.novyse.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.account.Session;
import dev.novyse.protocol.Chat;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.SyncResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

@Command(name = "watch", description = {"Stay connected and print each change the account can see as one JSON object per line.",
        "Starts at now: the store is first brought up to date silently, then every later change is printed, including "
                + "those fetched by the catch-up sync after a reconnect. Reconnects by itself. Ends with exit 0 on "
                + "Ctrl-C and when stdout is closed (| head ends it at the next line it would print)."})
final class WatchCommand implements Callable<Integer> {
    @ParentCommand
    NovyseCommand root;

    @Option(names = "--chat", paramLabel = "CHAT", description = "Only changes of this chat (uuid, handle or name).")
    String chat;

    @Option(names = "--format", paramLabel = "FORMAT", description = "Output format; jsonl is the only one (default: ${DEFAULT-VALUE}).",
            defaultValue = "jsonl", converter = OutputFormat.JsonlOnly.class, completionCandidates = OutputFormat.JsonlOnly.class)
    OutputFormat format;

    @Option(names = "--activity", description = "Also print typing and presence (relayed, never stored).")
    boolean activity;

    @Option(names = "--status", description = "Also print connection status changes and retried problems as lines "
            + "on stdout (otherwise problems go to stderr).")
    boolean status;

    @Mixin
    SharedOptions.ApiKey apiKey;

    @Override
    public Integer call() throws Exception {
        OutputWriter out = OutputWriter.stdout(format);
        CountDownLatch done = new CountDownLatch(1);
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        AtomicBoolean finished = new AtomicBoolean();
        try (Session session = apiKey.open(root)) {
            String chatUUID = chat == null ? null : resolve(session);
            Printer printer = new Printer(out, chatUUID, activity, status, done);
            LiveChannel channel = session.client().liveChannel(LiveChannel.Options.defaults());
            channel.subscribe(printer);
            channel.subscribe(e -> {
                if (e instanceof ChannelEvent.Stopped stopped) {
                    failure.set(stopped.failure());
                    done.countDown();
                }
            });
            // Ctrl-C (and SIGTERM) end a watch normally: close the channel between transactions, exit 0.
            Thread hook = new Thread(() -> {
                if (!finished.compareAndSet(false, true)) return;
                channel.close();
                session.close();
                Runtime.getRuntime().halt(ExitCodes.OK);
            }, "novyse-watch-exit");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                channel.start();
                done.await();
            } finally {
                if (finished.compareAndSet(false, true)) {
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException e) {
                        // already shutting down
                    }
                }
                channel.close();
            }
        }
        RuntimeException why = failure.get();
        if (why != null) {
            throw why; // an authentication failure: one line and exit code 3 through Failures
        }
        return ExitCodes.OK;
    }

    /** The chat named by --chat; a store that does not know it yet is synced once first. */
    private String resolve(Session session) {
        if (session.db().findChats(chat).isEmpty()) {
            session.client().syncEngine().sync();
        }
        ChatSummary found = ChatResolver.resolve(session.db(), chat);
        return found.uuid();
    }

    /**
     * Turns the live channel's events into JSON lines. Runs on the live channel's worker thread only. A closed
     * reader, seen at the line after it went away, ends the watch.
     */
    static final class Printer implements Consumer<ChannelEvent> {
        private final OutputWriter out;
        private final String onlyChat;
        private final boolean activity;
        private final boolean status;
        private final CountDownLatch done;

        Printer(OutputWriter out, String onlyChat, boolean activity, boolean status, CountDownLatch done) {
            this.out = out;
            this.onlyChat = onlyChat;
            this.activity = activity;
            this.status = status;
            this.done = done;
        }

        @Override
        public void accept(ChannelEvent event) {
            if (event instanceof ChannelEvent.StatusChanged s) {
                status(s.status());
            } else if (event instanceof ChannelEvent.MessageArrived m) {
                message(m.message(), m.source());
            } else if (event instanceof ChannelEvent.ChatAdded c) {
                chat(c.chat());
            } else if (event instanceof ChannelEvent.ChatChanged c) {
                chatEvent(c.event());
            } else if (event instanceof ChannelEvent.ProfileChanged p) {
                profile(p.event());
            } else if (event instanceof ChannelEvent.UserChanged u) {
                userEvent(u.event());
            } else if (event instanceof ChannelEvent.Synced s) {
                synced(s);
            } else if (event instanceof ChannelEvent.Activity a) {
                activity(a.chatUUID(), a.userUUID(), a.action());
            } else if (event instanceof ChannelEvent.Presence p) {
                presence(p.userUUID(), p.online(), p.lastAccessAt());
            } else if (event instanceof ChannelEvent.Problem p) {
                problem(p.message());
            }
        }

        private boolean wanted(String chatUUID) {
            return onlyChat == null || onlyChat.equals(chatUUID);
        }

        private static ObjectNode line(String type) {
            return Json.mapper().createObjectNode().put("type", type);
        }

        void message(MessageView m, LiveChannel.Source source) {
            if (!wanted(m.chatUUID())) return;
            ObjectNode o = line("message").put("chat", m.chatUUID()).put("sub", m.subID()).put("id", m.id())
                    .put("sender", m.senderUUID()).put("senderName", m.senderName()).put("content", m.content())
                    .put("createdAt", m.createdAt()).put("edited", m.edited()).put("deleted", m.deleted());
            if (m.replyTo() == null) {
                o.putNull("replyTo");
            } else {
                o.putObject("replyTo").put("chat", m.replyTo().chatUUID()).put("sub", m.replyTo().subID())
                        .put("id", m.replyTo().messageID());
            }
            ArrayNode files = o.putArray("files");
            if (m.files() != null) m.files().forEach(f -> files.add(f.name()));
            o.put("source", source == LiveChannel.Source.LIVE ? "live" : "sync");
            print(o);
        }

        void chat(Chat c) {
            if (!wanted(c.uuid())) return;
            print(line("chat").put("chat", c.uuid()).put("chatType", c.type()).put("name", c.name()));
        }

        void chatEvent(ChatEvent e) {
            if (!wanted(e.chatUUID())) return;
            ObjectNode o = line("event").put("event", e.type()).put("chat", e.chatUUID()).put("eventID", e.id())
                    .put("actor", e.userUUID()).put("at", e.createdAt());
            o.set("payload", e.payload() == null ? Json.mapper().createObjectNode() : e.payload());
            print(o);
        }

        void profile(ProfileEvent e) {
            if (onlyChat != null) return;
            ObjectNode o = line("profile").put("user", e.userUUID()).put("eventID", e.id());
            o.set("changes", e.payload() == null ? Json.mapper().createObjectNode() : e.payload());
            print(o);
        }

        void userEvent(UserEvent e) {
            String eventChat = e.chatUUID() != null ? e.chatUUID()
                    : e.payload() != null && e.payload().hasNonNull("chatUUID") ? e.payload().get("chatUUID").asText() : null;
            if (onlyChat != null && !onlyChat.equals(eventChat)) return;
            ObjectNode o = line("userEvent").put("event", e.type()).put("eventID", e.id()).put("chat", eventChat);
            o.set("payload", e.payload() == null ? Json.mapper().createObjectNode() : e.payload());
            print(o);
        }

        void synced(ChannelEvent.Synced r) {
            SyncResult s = r.result();
            boolean changed = s.messages() + s.chats() + s.users() + s.chatEvents() + s.profileEvents() + s.userEvents()
                    + s.removedChats() > 0;
            if (r.baseline() || !changed || onlyChat != null) return;
            print(line("sync").put("reason", r.reason()).put("messages", s.messages()).put("chats", s.chats())
                    .put("users", s.users()).put("chatEvents", s.chatEvents()).put("profileEvents", s.profileEvents())
                    .put("userEvents", s.userEvents()).put("removedChats", s.removedChats()));
        }

        void activity(String chatUUID, String userUUID, String action) {
            if (!activity || !wanted(chatUUID)) return;
            print(line("activity").put("chat", chatUUID).put("user", userUUID).put("action", action));
        }

        void presence(String userUUID, boolean online, String lastAccessAt) {
            if (!activity || onlyChat != null) return;
            print(line("presence").put("user", userUUID).put("online", online).put("lastAccessAt", lastAccessAt));
        }

        void status(LiveChannel.Status s) {
            if (status && s != LiveChannel.Status.STOPPED) print(line("status").put("status", s.name()));
        }

        void problem(String message) {
            if (status) {
                print(line("problem").put("message", message));
            } else {
                Failures.warn(message);
            }
        }

        private void print(ObjectNode o) {
            if (done.getCount() == 0) return;
            out.json(o);
            if (out.closed()) {
                done.countDown(); // the reader went away (| head): that ends a watch, it is not an error
            }
        }
    }
}
