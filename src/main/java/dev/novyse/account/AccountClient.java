package dev.novyse.account;

import dev.novyse.state.Lookups;
import dev.novyse.state.StateDriver;
import dev.novyse.state.StateBus;
import dev.novyse.store.LocalDatabase;
import dev.novyse.sync.ApiClient;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.ChatActions;
import dev.novyse.sync.FileFetcher;
import dev.novyse.sync.LiveChannel;
import dev.novyse.sync.OutboxSender;
import dev.novyse.sync.SyncEngine;
import dev.novyse.sync.TokenProvider;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * One account's client: its local store kept in sync with the server ({@link SyncEngine}), live
 * ({@link LiveChannel}) and delivering its outbox ({@link OutboxSender}). The one place these are put together:
 * the CLI's commands, {@code watch} and the chat screen all get them here. Made by {@link Session#client()};
 * without a server (a store opened offline) it only reads.
 */
public final class AccountClient {
    private final LocalDatabase db;
    private final ApiClient api;
    private final TokenProvider tokens;
    private final URI server;
    private SyncEngine engine;

    /** {@code api}, {@code tokens} and {@code server} all null: offline, no sync, no live channel, no sending. */
    public AccountClient(LocalDatabase db, ApiClient api, TokenProvider tokens, URI server) {
        this.db = Objects.requireNonNull(db);
        this.api = api;
        this.tokens = tokens;
        this.server = server;
    }

    /** Whether there is a server to sync with, send to and listen to. */
    public boolean online() {
        return api != null && tokens != null && server != null;
    }

    /** The one sync engine of this store (the live channel runs it too). */
    public synchronized SyncEngine syncEngine() {
        if (engine == null) engine = new SyncEngine(api, db);
        return engine;
    }

    /**
     * A sync of this store from another {@code source} than its server's HTTP API (the demo's in-process server);
     * the same engine and pages, so the store ends up as a sync over HTTP leaves it.
     */
    public SyncEngine syncEngine(dev.novyse.sync.SyncSource source) {
        return new SyncEngine(source, db);
    }

    /** Delivers the outbox, reporting file uploads to {@code progress}. */
    public OutboxSender outbox(OutboxSender.Progress progress) {
        return new OutboxSender(api, db, progress);
    }

    /** What a person does to a chat (sends through the outbox); {@code cacheDir}: the download cache. Null offline. */
    public ChatActions chatActions(Path cacheDir) {
        if (api == null) return null;
        return new ChatActions(api, db, outbox(OutboxSender.Progress.NONE), new FileFetcher(api, cacheDir));
    }

    /** Whether the account signed in again in another terminal ({@link TokenProvider#signedInAgain}). */
    public boolean signedInAgain() {
        return tokens != null && tokens.signedInAgain();
    }

    /** Whether the account was signed out in another terminal ({@link TokenProvider#signedOutHere}); true once. */
    public boolean signedOutHere() {
        return tokens != null && tokens.signedOutHere();
    }

    /** A live channel on this store, not started: subscribe, then {@link LiveChannel#start()}. */
    public LiveChannel liveChannel(LiveChannel.Options options) {
        if (!online()) throw new IllegalStateException("no live channel for a store opened offline");
        return new LiveChannel(server, tokens, db, syncEngine(), options);
    }

    /**
     * A subscriber that delivers the outbox each time the channel is connected again (on {@code worker}, never on the
     * channel's thread), then hands {@code delivered} what went out and what was refused, when there was anything.
     * While still offline it waits for the next reconnect.
     */
    public Consumer<ChannelEvent> outboxDelivery(Executor worker, Consumer<OutboxSender.Flushed> delivered) {
        OutboxSender outbox = outbox(OutboxSender.Progress.NONE);
        return event -> {
            if (!(event instanceof ChannelEvent.StatusChanged s) || s.status() != LiveChannel.Status.CONNECTED) return;
            try {
                worker.execute(() -> {
                    try {
                        OutboxSender.Flushed f = outbox.flushAll();
                        if (f.changed()) delivered.accept(f);
                    } catch (RuntimeException ignored) {
                        // still offline: the next reconnect tries again
                    }
                });
            } catch (RejectedExecutionException closing) {
                // the front end is shutting down
            }
        };
    }

    /** The state driver of a screen: feeds {@code bus} from this account's store ({@code history}: older pages). */
    public StateDriver stateDriver(StateBus bus, StateDriver.HistorySource history) {
        return new StateDriver(db, bus, history);
    }

    /** The reads a screen makes on demand (search, a chat's subs, pins, the account's identity). */
    public Lookups lookups() {
        return new Lookups(db);
    }
}
