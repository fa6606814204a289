package dev.novyse.tui;

import dev.novyse.state.AppState;
import dev.novyse.state.StateDriver;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutgoingFile;
import dev.novyse.sync.ApiException;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.ChatActions;
import dev.novyse.sync.OutboxSender;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The screen's calls to the server, the only holder of {@link ChatActions} in the TUI. A call may wait on the
 * network, so each runs on the network thread and tells the person how it went with a flash posted back to the UI
 * thread. Null actions mean a store without a server: read-only.
 */
final class ServerCalls {
    private final UiModel m;
    private final ChatActions actions;
    private final StateDriver driver;
    private final Executor network;
    private final Consumer<Runnable> ui;

    ServerCalls(UiModel m, ChatActions actions, StateDriver driver, Executor network, Consumer<Runnable> ui) {
        this.m = m;
        this.actions = actions;
        this.driver = driver;
        this.network = network;
        this.ui = ui;
    }

    /** Runs {@code call} (edit, delete, pin, react, save a file), re-reads the store and flashes {@code done}. */
    void run(String done, Consumer<ChatActions> call) {
        run(done, call, () -> { });
    }

    /** As {@link #run(String, Consumer)}; when it fails, {@code failed} runs on the UI thread after the flash. */
    void run(String done, Consumer<ChatActions> call, Runnable failed) {
        if (readOnly()) return;
        network.execute(() -> {
            try {
                call.accept(actions);
                driver.storeChanged();
                ui.accept(() -> m.flash(done, false));
            } catch (RuntimeException e) {
                ui.accept(() -> {
                    m.flash("failed: " + refusal(e), true);
                    failed.run();
                });
            }
        });
    }

    /**
     * Adds or takes back the account's reaction; {@code then} learns on the UI thread whether the server has it. Queued
     * (offline), it is drawn at once as it will be, not once delivered.
     */
    void react(MessageView target, String emoji, boolean add, Consumer<Boolean> then) {
        ask(a -> {
            boolean sent;
            try {
                sent = a.react(target.chatUUID(), target.subID(), target.id(), emoji, add);
            } catch (ApiException e) {
                // Signed out (the session ended): it waits for the next sign-in, as a message written now does.
                if (e.kind() != ApiException.Kind.HTTP || e.status() != 401) throw e;
                a.queueReaction(target.chatUUID(), target.subID(), target.id(), emoji, add);
                sent = false;
            }
            if (!sent) driver.outboxChanged();
            return sent;
        }, then);
    }

    /** Asks the server something ({@code call}, on the network thread) and hands the answer to {@code then} on the UI thread. */
    <T> void ask(Function<ChatActions, T> call, Consumer<T> then) {
        if (readOnly()) return;
        network.execute(() -> {
            try {
                T answer = call.apply(actions);
                ui.accept(() -> then.accept(answer));
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("failed: " + refusal(e), true));
            }
        });
    }

    /**
     * As {@link #run}, for a call answering what it made (a chat joined or created, a sub started) that {@code open}
     * then opens on the UI thread.
     */
    <T> void runThenOpen(String done, Function<ChatActions, T> call, Consumer<T> open) {
        network.execute(() -> {
            try {
                T chat = call.apply(actions);
                driver.storeChanged();
                ui.accept(() -> {
                    m.flash(done, false);
                    if (chat != null) open.accept(chat);
                });
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("failed: " + refusal(e), true));
            }
        });
    }

    /**
     * {@link #writableChat}, where the account may also post: a channel's member is told only its admins do, and
     * nothing is queued for the server to refuse.
     */
    AppState.OpenChat postableChat(boolean textStays) {
        AppState.OpenChat open = writableChat();
        if (open == null || m.may(open.chatUUID(), "SEND")) return open;
        m.flash("only the channel's admins post here" + (textStays ? "; your text stays" : ""), true);
        return null;
    }

    /** The open chat when something can be written to it; otherwise null, with the reason flashed. */
    AppState.OpenChat writableChat() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null || open.chatUUID().equals(m.goneChat)) {
            m.flash("open a chat first (Tab to the chat list, Enter)", true);
            return null;
        }
        return readOnly() ? null : open;
    }

    private boolean readOnly() {
        if (actions != null) return false;
        m.flash("no server for this store: read-only", true);
        return true;
    }

    /**
     * Sends a message: first into the outbox (so it survives going offline), then out; says so when it stays
     * queued or the server refuses it. Delivered needs no word: the message shows in the chat.
     */
    void send(AppState.OpenChat open, String content, Long replyTo) {
        network.execute(() -> {
            String tempId;
            try {
                tempId = actions.queue(open.chatUUID(), open.subID(), content, replyTo);
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("not queued: " + oneLine(e), true));
                return;
            }
            driver.outboxChanged();
            OutboxSender.Result r;
            try {
                r = actions.deliver(tempId);
            } catch (RuntimeException e) {
                r = new OutboxSender.Result(OutboxSender.State.QUEUED, null, oneLine(e));
            }
            driver.outboxChanged();
            OutboxSender.Result result = r;
            if (!result.earlier().isEmpty()) { // queued before it in this chat, sent first and refused: as a flush says it
                ui.accept(() -> m.flash(UnsentMessages.said(new OutboxSender.Flushed(0, 0, List.of(), result.earlier()), m), true));
                return;
            }
            if (result.state() == OutboxSender.State.QUEUED) {
                ui.accept(() -> m.flash("offline: queued, it goes out when the server is back", true));
            } else if (result.state() == OutboxSender.State.REJECTED) {
                ui.accept(() -> m.flash("not sent: " + result.reason(), true));
            }
        });
    }

    /** Sends the refused messages {@code tempIds} again, as {@code outbox retry} does; says how it went. */
    void retry(List<String> tempIds) {
        if (readOnly()) return;
        network.execute(() -> {
            List<OutboxSender.Result> results;
            try {
                results = actions.retry(tempIds);
            } catch (RuntimeException e) {
                ui.accept(() -> m.flash("not sent: " + oneLine(e), true));
                return;
            } finally {
                driver.outboxChanged();
            }
            long sent = results.stream().filter(r -> r.state() == OutboxSender.State.DELIVERED).count();
            long queued = results.stream().filter(r -> r.state() == OutboxSender.State.QUEUED).count();
            List<String> refused = results.stream().filter(r -> r.state() == OutboxSender.State.REJECTED)
                    .map(OutboxSender.Result::reason).toList();
            StringBuilder said = new StringBuilder(sent > 0 ? "sent " + sent + " again" : "");
            if (!refused.isEmpty()) {
                said.append(said.length() > 0 ? "; " : "").append(refused.size() == 1 ? "" : refused.size() + " ")
                        .append("not sent: ").append(refused.get(0));
            }
            if (queued > 0) {
                said.append(said.length() > 0 ? "; " : "").append("offline: ").append(queued)
                        .append(" queued, they go out when the server is back");
            }
            ui.accept(() -> m.flash(said.toString(), sent < results.size()));
        });
    }

    /**
     * Takes the message {@code tempId} out of the outbox unsent; {@code then} learns on the UI thread whether it was
     * still there to take (false: sent or dropped meanwhile, or the store refused).
     */
    void drop(String tempId, Consumer<Boolean> then) {
        if (readOnly()) return;
        network.execute(() -> {
            boolean dropped;
            try {
                dropped = actions.drop(tempId);
            } catch (RuntimeException e) {
                dropped = false;
            }
            driver.outboxChanged();
            boolean out = dropped;
            ui.accept(() -> then.accept(out));
        });
    }

    /** Sends the file at {@code path} with {@code caption} (may be null), through the outbox as {@link #send}. */
    void sendFile(AppState.OpenChat open, Path path, String caption, Long replyTo) {
        network.execute(() -> {
            OutboxSender.Result r;
            try {
                List<OutgoingFile> files = List.of(OutgoingFile.of(path));
                r = actions.sendFiles(open.chatUUID(), open.subID(), caption, replyTo, files);
            } catch (IOException | RuntimeException e) {
                ui.accept(() -> m.flash("not sent: " + oneLine(e), true));
                return;
            } finally {
                driver.outboxChanged();
            }
            OutboxSender.Result result = r;
            ui.accept(() -> m.flash(result.state() == OutboxSender.State.DELIVERED ? "sent " + path.getFileName()
                    : result.state() == OutboxSender.State.QUEUED ? "offline: " + path.getFileName() + " waits in the outbox"
                    : "not sent: " + result.reason(), result.state() != OutboxSender.State.DELIVERED));
        });
    }

    /**
     * Asks the server who of {@code userUUIDs} is online and tells the state as the live events do: those events say
     * only what changed after the channel connected (someone online since before showed as offline). Offline: nothing.
     */
    void presence(List<String> userUUIDs) {
        network.execute(() -> {
            try {
                actions.presence(userUUIDs).forEach((user, online) -> driver.accept(new ChannelEvent.Presence(user, online, null)));
            } catch (RuntimeException offline) {
                // the live events still tell what changes
            }
        });
    }

    /** Moves the read watermark on the server; {@code failed} runs on the UI thread when that did not work. */
    void markRead(AppState.OpenChat chat, long upTo, Runnable failed) {
        network.execute(() -> {
            try {
                actions.markRead(chat.chatUUID(), chat.subID(), upTo);
            } catch (RuntimeException e) {
                ui.accept(failed);
            }
        });
    }

    private static String oneLine(Exception e) {
        String s = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return s.replace('\n', ' ');
    }

    /**
     * A failed call in the person's words: offline says so; a refusal is the server's own sentence ("only admins
     * may rename this chat", {@link ApiException#sentence}, as the CLI's stderr says it).
     */
    static String refusal(Exception e) {
        if (e instanceof ApiException a && a.kind() == ApiException.Kind.NETWORK) {
            return "offline: this needs the server (only messages and reactions are queued)";
        }
        return e instanceof ApiException a ? a.sentence().replace('\n', ' ') : oneLine(e);
    }
}
