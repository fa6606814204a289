package dev.novyse.tui;

import dev.novyse.account.AccountClient;
import dev.novyse.state.StateDriver;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The chat screen's live channel across sessions, built and started on the network thread: once after the first frame
 * (socket.io's classes and the HTTP client load off its path), and anew when the account signs in again in another
 * terminal (`novyse login`, after a logout or after the server ended the session: what was queued meanwhile goes when
 * it connects). A logout in another terminal, even one the server never heard of, stops it signed out: the session is
 * not used again. Both are seen in the credentials file, looked at every couple of seconds, one look at a time.
 */
final class LiveSession {
    private final AccountClient client;
    private final LiveChannel.Options options;
    private final ExecutorService network;
    private final StateDriver driver;
    /** In order for each change: the screen's state, the bell, then the outbox after a reconnect. */
    private final List<Consumer<? super ChannelEvent>> subscribers;
    private final AtomicBoolean checking = new AtomicBoolean();
    /** Guarded by this: the channel, and whether one may still start. */
    private LiveChannel channel;
    private boolean closed;
    /** The network thread's: the subscriptions to the channel now running. */
    private List<LiveChannel.Subscription> listening = List.of();

    LiveSession(AccountClient client, LiveChannel.Options options, ExecutorService network, StateDriver driver,
                List<Consumer<? super ChannelEvent>> subscribers) {
        this.client = client;
        this.options = options == null ? LiveChannel.Options.defaults() : options;
        this.network = network;
        this.driver = driver;
        this.subscribers = List.copyOf(subscribers);
    }

    /** Builds and starts the channel (on the network thread). */
    void start() {
        onNetwork(this::startNow);
    }

    /** Looks at the account's credentials (on the network thread; not again while a look is still waiting there). */
    void checkCredentials() {
        if (!checking.compareAndSet(false, true)) return; // not piled up behind an upload
        onNetwork(() -> {
            try {
                if (isClosed()) return;
                if (client.signedOutHere()) {
                    LiveChannel live = current();
                    if (live != null) live.signedOut();
                } else if (client.signedInAgain()) {
                    driver.signedInAgain();
                    startNow();
                }
            } finally {
                checking.set(false);
            }
        });
    }

    /** Says the account is typing in {@code chat}, when a channel is up. */
    void typing(String chat) {
        LiveChannel live = current();
        if (live != null) live.sendActivity(chat, "TYPING");
    }

    /** The screen is closing: no channel starts any more, and the one running is closed. */
    void close() {
        LiveChannel live;
        synchronized (this) {
            closed = true;
            live = channel;
        }
        if (live != null) live.close();
    }

    private void startNow() {
        // socket.io's client and OkHttp log through java.util.logging, whose console handler would write over the
        // screen: silenced here, where they are first used, rather than before the first frame (~30 ms there).
        java.util.logging.LogManager.getLogManager().reset();
        // A channel before this one (the session changed): heard no more, then closed, before the new one starts, so
        // that its last words (stopped, offline) never follow the new one's.
        listening.forEach(LiveChannel.Subscription::close);
        LiveChannel before = current();
        if (before != null) before.close();
        LiveChannel live = client.liveChannel(options);
        List<LiveChannel.Subscription> subs = new ArrayList<>();
        for (Consumer<? super ChannelEvent> s : subscribers) subs.add(live.subscribe(s));
        listening = subs;
        synchronized (this) {
            channel = live;
            if (!closed) {
                live.start();
                return;
            }
        }
        live.close(); // the screen closed while it was built; its close may have missed it
    }

    private synchronized LiveChannel current() {
        return channel;
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    private void onNetwork(Runnable task) {
        try {
            network.execute(task);
        } catch (RejectedExecutionException closing) {
            // the screen is closing
        }
    }
}
