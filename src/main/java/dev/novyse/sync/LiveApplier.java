package dev.novyse.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.ChatEvent;
import dev.novyse.protocol.Message;
import dev.novyse.protocol.ProfileEvent;
import dev.novyse.protocol.UserEvent;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreException;
import dev.novyse.store.StoreWriter;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live channel's apply pipeline: one queue, drained by one worker thread that applies every live event and runs
 * every {@link SyncEngine#sync()}, so all database writes of the channel are serialised and every
 * {@link ChannelEvent} is published from this thread.
 *
 * <h2>Subscribe, then fetch (docs/architecture.md#invariant-4)</h2>
 * On each (re)connect the worker runs a sync first; events that arrive meanwhile wait in the queue and are applied
 * after it, each in its own transaction through the same {@link BatchApplier} steps the sync uses. Duplicates are
 * dropped by id: a message at or below its sub's cursor, an event at or below its log's cursor. An id that skips
 * ahead of its cursor (message ids are dense per chat and sub; chat, profile and user event ids per log) is not
 * trusted: it triggers a sync, after which the event is applied if it now fits, skipped if the sync brought it, and
 * dropped (counted) otherwise. A chat event about a message newer than any stored in its sub (an edit or reaction
 * whose {@code message:new} was lost) syncs too. A failed sync is retried with backoff; however busy the channel, it
 * syncs at least every {@link LiveChannel.Options#resyncEvery}. A 401 from the sync or
 * {@code auth:session-revoked} stops the channel with an authentication error.
 */
final class LiveApplier {
    // ---- queue items (socket and connector threads → worker) ----------------------------------------------

    private sealed interface Item {
    }

    private record Connected() implements Item {
    }

    private record Disconnected(String reason) implements Item {
    }

    private record Event(String name, JsonNode payload, String receivedAt) implements Item {
    }

    private record SyncNow(String reason) implements Item {
    }

    private record Connecting() implements Item {
    }

    private record Stop(RuntimeException failure) implements Item {
    }

    private record Problem(String message) implements Item {
    }

    private enum Fate { APPLIED, NO_EFFECT, DUPLICATE, GAP, UNKNOWN }

    private final LiveChannel channel;
    private final LocalDatabase db;
    private final SyncEngine engine;
    private final LiveChannel.Options options;
    private final MessageReporter reporter;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread worker;

    /** When the last sync started (worker) or was asked for by the tick; see {@link LiveChannel.Options#resyncEvery}. */
    private volatile long lastSync = System.nanoTime();

    // worker thread only
    private boolean socketConnected;
    /**
     * Per chat, the newest chat event published as {@link ChannelEvent.ChatChanged}. A live chat event is published
     * once, whether this channel stored it or found it stored already: by the sync its gap ran, or by another
     * process on the same store (a script's `novyse message react` syncs right after it acts, often before the
     * event reaches the `watch` it reacts to, which must still print it). Events arrive in order per chat.
     */
    private final java.util.Map<String, Long> publishedChatEvents = new java.util.HashMap<>();
    private long syncDueAt;
    private int syncFailures;
    private String retryReason;

    private final AtomicLong events = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong gaps = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong ignored = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong failedSyncs = new AtomicLong();

    LiveApplier(LiveChannel channel, LocalDatabase db, SyncEngine engine, LiveChannel.Options options) {
        this.channel = channel;
        this.db = db;
        this.engine = engine;
        this.options = options;
        this.reporter = new MessageReporter(db, channel::publish);
        this.worker = DaemonThreads.create("novyse-live", this::work);
    }

    /** "Now" is what the store holds: nothing in it is reported. Then the worker starts. */
    void start() {
        reporter.markStored();
        startWorker();
    }

    void startWorker() {
        worker.start();
    }

    LiveChannel.Stats stats(long connects) {
        return new LiveChannel.Stats(events.get(), applied.get(), duplicates.get(), gaps.get(), dropped.get(),
                ignored.get(), syncs.get(), failedSyncs.get(), connects);
    }

    // ---- from any thread: into the queue -----------------------------------------------------------------

    void socketConnected() {
        queue.add(new Connected());
    }

    void socketDisconnected(String reason) {
        queue.add(new Disconnected(reason));
    }

    void connecting() {
        queue.add(new Connecting());
    }

    void received(String name, JsonNode payload, String receivedAt) {
        queue.add(new Event(name, payload, receivedAt));
    }

    void requestSync(String reason) {
        queue.add(new SyncNow(reason));
    }

    /** The connection fell silent and is being probed: sync too (at {@code now}, the connector's clock). */
    void syncAfterSilence(long now) {
        lastSync = now;
        queue.add(new SyncNow("idle"));
    }

    /**
     * A lost event shows as a gap only when a later event of the same cursor arrives. The newest message of a chat,
     * or the last change of a quiet chat, has none; the idle probe fetches it only if the whole channel falls silent,
     * which a busy account never does. So sync every resyncEvery, whatever the traffic.
     */
    void resyncIfDue(long now) {
        if (now - lastSync > options.resyncEvery().toNanos()) {
            lastSync = now; // asked for once; the worker restarts the period when it runs
            queue.add(new SyncNow("periodic"));
        }
    }

    void stop(RuntimeException why) {
        queue.add(new Stop(why));
    }

    /** Subscribers hear of problems on the worker only: from other threads the message is queued. */
    void problem(String message) {
        if (Thread.currentThread() == worker) {
            channel.publish(new ChannelEvent.Problem(message));
        } else if (!channel.stopped()) {
            queue.add(new Problem(message));
        }
    }

    /** Waits up to 5 s for the worker to end (a sync blocked on the network is interrupted after 2 s). */
    void awaitEnd() {
        if (Thread.currentThread() == worker || !worker.isAlive()) return;
        try {
            worker.join(2_000);
            if (worker.isAlive()) {
                worker.interrupt(); // a sync blocked on the network gives up on interrupt
                worker.join(3_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ---- worker -----------------------------------------------------------------------------------------

    private void work() {
        while (true) {
            Item item;
            try {
                long wait = syncDueAt == 0 ? Long.MAX_VALUE : syncDueAt - System.nanoTime();
                if (wait <= 0 && !channel.stopped()) {
                    runSync(retryReason);
                    continue;
                }
                item = wait == Long.MAX_VALUE ? queue.take() : queue.poll(wait, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                if (channel.stopped()) {
                    finish(channel.failure());
                    return;
                }
                continue;
            }
            if (item == null) continue;
            if (item instanceof Stop s) {
                finish(s.failure());
                return;
            }
            if (channel.stopped()) continue;
            try {
                handle(item);
            } catch (RuntimeException e) {
                // A bug or an unusable store: say so and keep the channel alive; the next sync repairs the state.
                problem("live channel: " + ApiClient.firstLine(String.valueOf(e.getMessage())));
            }
        }
    }

    private void finish(RuntimeException why) {
        channel.setStatus(LiveChannel.Status.STOPPED);
        channel.publish(new ChannelEvent.Stopped(why));
    }

    private void handle(Item item) {
        if (item instanceof Connected) {
            socketConnected = true;
            runSync("connect");
        } else if (item instanceof Disconnected) {
            socketConnected = false;
            channel.setStatus(LiveChannel.Status.DISCONNECTED);
        } else if (item instanceof Connecting) {
            if (!socketConnected) channel.setStatus(LiveChannel.Status.CONNECTING);
        } else if (item instanceof SyncNow s) {
            runSync(s.reason());
        } else if (item instanceof Problem p) {
            problem(p.message());
        } else if (item instanceof Event e) {
            events.incrementAndGet();
            onEvent(LiveEvent.parse(e.name(), e.payload(), e.receivedAt()));
        }
    }

    private void onEvent(LiveEvent e) {
        if (e instanceof LiveEvent.Activity a) {
            if (a.chatUUID() != null && a.userUUID() != null) {
                channel.publish(new ChannelEvent.Activity(a.chatUUID(), a.userUUID(), a.action()));
            }
        } else if (e instanceof LiveEvent.Presence p) {
            if (p.userUUID() != null) channel.publish(new ChannelEvent.Presence(p.userUUID(), p.online(), p.lastAccessAt()));
        } else if (e instanceof LiveEvent.Ignored) {
            ignored.incrementAndGet();
        } else if (e instanceof LiveEvent.AuthReply r) {
            if ("AUTH_IDENTITY_MISMATCH".equals(r.code())) channel.reconnect("the server saw another user's token", false);
        } else if (e instanceof LiveEvent.AuthEnded end) {
            if (end.revoked()) {
                channel.stop(new ApiException(ApiException.Kind.HTTP, 401, "SESSION_REVOKED", "the session was revoked: sign in again"));
            } else {
                channel.reconnect("the server says the token expired", true);
            }
        } else if (e instanceof LiveEvent.Resync r) {
            gaps.incrementAndGet();
            if (!syncBlocked()) runSync(r.event() + ": " + r.reason());
        } else if (e instanceof LiveEvent.NewChat nc) {
            db.inTransaction(tx -> {
                StoreWriter w = new StoreWriter(tx);
                ApplyStats st = new ApplyStats();
                engine.applier().applyNewChats(w, List.of(nc.chat()), st);
                engine.applier().applyNewUsers(w, nc.users(), st);
                return null;
            });
            applied.incrementAndGet();
            channel.publish(new ChannelEvent.ChatAdded(nc.chat()));
            // A joined chat comes without its history, and its sub cursors start at 0: fetch what it holds.
            runSync("chat:new");
        } else {
            stored(e);
        }
    }

    /** A change that goes to the store: apply it if it fits its cursor, else sync first (the gap rule). */
    private void stored(LiveEvent e) {
        Fate fate = tryApply(e);
        if (fate == Fate.GAP) {
            gaps.incrementAndGet();
            if (syncBlocked()) {
                dropped.incrementAndGet(); // a retry is scheduled; that sync brings this change
                return;
            }
            if (!runSync("gap")) {
                dropped.incrementAndGet();
                return;
            }
            fate = tryApply(e);
            if (fate == Fate.GAP) {
                dropped.incrementAndGet(); // the server's update does not hold it yet: the next sync will
                return;
            }
        }
        switch (fate) {
            case DUPLICATE -> duplicates.incrementAndGet();
            case APPLIED -> applied.incrementAndGet();
            default -> { }
        }
        if (fate == Fate.NO_EFFECT && e instanceof LiveEvent.ChatChange change && syncedForAMissingMessage(change)) {
            return;
        }
        if (e instanceof LiveEvent.NewMessage nm) {
            Message m = nm.message();
            reporter.afterLiveMessage(m.chatUUID(), m.subID(), m.id());
        } else if ((fate == Fate.APPLIED || fate == Fate.DUPLICATE) && e instanceof LiveEvent.ChatChange cc
                && firstPublication(cc.event())) {
            ChatEvent ev = cc.event();
            channel.publish(new ChannelEvent.ChatChanged(ev));
            if (ChatEvent.MEMBER_LEFT.equals(ev.type()) && ev.userUUID() != null
                    && ev.userUUID().equals(db.accountUserUUID().orElse(null))) {
                runSync("left " + ev.chatUUID()); // the update lists the chat in chats.removed
            }
        } else if (fate == Fate.APPLIED && e instanceof LiveEvent.ProfileChange pc) {
            channel.publish(new ChannelEvent.ProfileChanged(pc.event()));
        } else if (fate == Fate.APPLIED && e instanceof LiveEvent.UserChange uc) {
            channel.publish(new ChannelEvent.UserChanged(uc.event()));
        }
    }

    private boolean firstPublication(ChatEvent ev) {
        if (ev.chatUUID() == null) return true;
        Long last = publishedChatEvents.get(ev.chatUUID());
        if (last != null && ev.id() <= last) return false;
        publishedChatEvents.put(ev.chatUUID(), ev.id());
        return true;
    }

    /**
     * An edit, reaction, pin or read of a message newer than any this store has in its sub: the message's
     * {@code message:new} was lost, and nothing else may reveal the gap soon (no later message in the sub). Syncs,
     * which brings the message as it is now, this change included; true if the change named such a message.
     */
    private boolean syncedForAMissingMessage(LiveEvent.ChatChange change) {
        ChatEvent ev = change.event();
        if (ev.payload() == null || !ev.payload().has("messageID") || ev.chatUUID() == null) return false;
        long id = ev.payload().path("messageID").asLong(-1);
        if (id <= MessageReporter.newestStored(db, ev.chatUUID(), ev.payload().path("subID").asInt(0))) return false;
        gaps.incrementAndGet();
        if (!syncBlocked()) runSync(ev.type() + " of a message not here yet");
        return true;
    }

    private boolean syncBlocked() {
        return syncDueAt != 0 && System.nanoTime() < syncDueAt;
    }

    /** One live change in its own transaction, placed by its cursor; a failure to apply counts as a gap. */
    private Fate tryApply(LiveEvent e) {
        try {
            return db.inTransaction(tx -> place(new StoreWriter(tx), e));
        } catch (StoreException | ApiException ex) {
            problem("live event not applied, syncing instead: " + ApiClient.firstLine(String.valueOf(ex.getMessage())));
            return Fate.GAP;
        }
    }

    private Fate place(StoreWriter w, LiveEvent e) {
        BatchApplier applier = engine.applier();
        ApplyStats st = new ApplyStats();
        if (e instanceof LiveEvent.NewMessage nm) {
            Message m = nm.message();
            if (!w.chatExists(m.chatUUID())) return Fate.GAP;
            long cursor = w.maxMessageId(m.chatUUID(), m.subID());
            if (m.id() <= cursor) return Fate.DUPLICATE;
            if (m.id() > cursor + 1) return Fate.GAP;
            applier.applyMessages(w, List.of(m), st);
            return Fate.APPLIED;
        }
        if (e instanceof LiveEvent.ChatChange cc) {
            ChatEvent ev = cc.event();
            long cursor = w.chatEventId(ev.chatUUID());
            if (cursor < 0) return Fate.GAP;
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            if (cc.user() != null) applier.applyNewUsers(w, List.of(cc.user()), st);
            applier.applyChatEvents(w, List.of(ev), st);
            return fate(st.chatEvents, st.skippedUnknown);
        }
        if (e instanceof LiveEvent.ProfileChange pc) {
            ProfileEvent ev = pc.event();
            long cursor = w.profileEventId(ev.userUUID());
            if (cursor < 0) return Fate.GAP; // a user not stored: the update brings the profile
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            applier.applyProfileEvents(w, List.of(ev), st);
            return fate(st.profileEvents, 0);
        }
        if (e instanceof LiveEvent.UserChange uc) {
            UserEvent ev = uc.event();
            long cursor = w.localEventId();
            if (ev.id() <= cursor) return Fate.DUPLICATE;
            if (ev.id() > cursor + 1) return Fate.GAP;
            applier.applyUserEvents(w, List.of(ev), st);
            return fate(st.userEvents, st.skippedUnknown);
        }
        throw new IllegalStateException("not a stored change: " + e);
    }

    private static Fate fate(int appliedCount, int unknown) {
        return appliedCount > 0 ? Fate.APPLIED : unknown > 0 ? Fate.UNKNOWN : Fate.NO_EFFECT;
    }

    /** Runs a sync now; on failure schedules a retry with backoff. Returns whether it succeeded. */
    private boolean runSync(String reason) {
        if (channel.stopped()) return false;
        lastSync = System.nanoTime();
        syncs.incrementAndGet();
        channel.setStatus(LiveChannel.Status.SYNCING);
        SyncResult result;
        try {
            result = engine.sync();
        } catch (ApiException e) {
            if (e.kind() == ApiException.Kind.HTTP && e.status() == 401) {
                channel.stop(e); // the API client already tried a fresh token: the session is over
                return false;
            }
            return syncFailed(reason, e);
        } catch (RuntimeException e) {
            return syncFailed(reason, e);
        }
        syncFailures = 0;
        syncDueAt = 0;
        boolean baseline = reporter.afterSync();
        channel.publish(new ChannelEvent.Synced(reason, baseline, result));
        channel.setStatus(socketConnected ? LiveChannel.Status.CONNECTED : LiveChannel.Status.DISCONNECTED);
        return true;
    }

    private boolean syncFailed(String reason, RuntimeException e) {
        failedSyncs.incrementAndGet();
        long delay = LiveConnection.backoff(syncFailures++, options.reconnectDelay(),
                options.reconnectDelayMax().multipliedBy(2), options.jitter());
        syncDueAt = Math.max(1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delay));
        retryReason = reason;
        problem("sync failed, retrying in " + Math.max(1, delay / 1000) + " s: "
                + ApiClient.firstLine(String.valueOf(e.getMessage())));
        channel.setStatus(socketConnected ? LiveChannel.Status.SYNCING : LiveChannel.Status.DISCONNECTED);
        return false;
    }
}
