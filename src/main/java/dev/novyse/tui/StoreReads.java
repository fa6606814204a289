package dev.novyse.tui;

import dev.novyse.protocol.Sub;
import dev.novyse.protocol.User;
import dev.novyse.state.Lookups;
import dev.novyse.store.MemberView;
import dev.novyse.store.MessageView;
import dev.novyse.store.PinnedMessageView;
import dev.novyse.store.SubUnread;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The store reads the screen asks for itself: a forum's subs, a chat's pinned messages and members, full-text
 * search, drafts (which it also writes here).
 * Everything else reaches the screen as {@link dev.novyse.state.AppState}. Each read runs on the reads thread
 * (SQLite may take a while) and hands its answer to the UI thread through {@code ui}.
 */
final class StoreReads {
    private final Lookups lookups;
    private final Executor reads;
    private final Consumer<Runnable> ui;

    StoreReads(Lookups lookups, Executor reads, Consumer<Runnable> ui) {
        this.lookups = lookups;
        this.reads = reads;
        this.ui = ui;
    }

    /** A forum's subs and each one's unread and mention counts, read together. */
    void subs(String chatUUID, BiConsumer<List<Sub>, List<SubUnread>> then) {
        reads.execute(() -> {
            var subs = lookups.subs(chatUUID);
            var counts = lookups.subUnread(chatUUID);
            ui.accept(() -> then.accept(subs, counts));
        });
    }

    /** Each sub's unread counts and newest message (for marking a whole forum read). */
    void subUnread(String chatUUID, Consumer<List<SubUnread>> then) {
        reads.execute(() -> {
            var counts = lookups.subUnread(chatUUID);
            ui.accept(() -> then.accept(counts));
        });
    }

    void pins(String chatUUID, Consumer<List<PinnedMessageView>> then) {
        reads.execute(() -> {
            var pins = lookups.pinnedMessages(chatUUID);
            ui.accept(() -> then.accept(pins));
        });
    }

    /** The account's favourite messages (the newest 500 favourited), most recent first. */
    void favorites(Consumer<List<MessageView>> then) {
        reads.execute(() -> {
            var favorites = lookups.favorites(500);
            ui.accept(() -> then.accept(favorites));
        });
    }

    /** The stored people {@code wanted} names ({@code @handle}, handle, name). */
    void findUsers(String wanted, Consumer<List<User>> then) {
        reads.execute(() -> {
            var found = lookups.findUsers(wanted);
            ui.accept(() -> then.accept(found));
        });
    }

    /** A stored profile. */
    void user(String userUUID, Consumer<Optional<User>> then) {
        reads.execute(() -> {
            var u = lookups.user(userUUID);
            ui.accept(() -> then.accept(u));
        });
    }

    /** A chat's members, for completing a mention. */
    void members(String chatUUID, Consumer<List<MemberView>> then) {
        reads.execute(() -> {
            var members = lookups.members(chatUUID);
            ui.accept(() -> then.accept(members));
        });
    }

    /** The account's rights in a chat, when the store knows its roles there ({@link Lookups#accountRights}). */
    void rights(String chatUUID, Consumer<java.util.Optional<java.util.Set<String>>> then) {
        reads.execute(() -> {
            var rights = lookups.accountRights(chatUUID);
            ui.accept(() -> then.accept(rights));
        });
    }

    /** A chat's draft, as the store keeps it ("" when none). */
    void draft(String chatUUID, int subID, Consumer<String> then) {
        reads.execute(() -> {
            String text = lookups.draft(chatUUID, subID);
            ui.accept(() -> then.accept(text));
        });
    }

    /**
     * The drafts kept in {@code subIDs} of a chat the store no longer holds (the account is no longer in it), in order
     * with the reads (a draft saved on leaving it is seen); none while the store still holds the chat.
     */
    void strandedDrafts(String chatUUID, List<Integer> subIDs, Consumer<List<String>> then) {
        reads.execute(() -> {
            List<String> texts = new ArrayList<>();
            if (lookups.chat(chatUUID).isEmpty()) {
                for (int sub : subIDs) {
                    String text = lookups.draft(chatUUID, sub);
                    if (!text.isBlank()) texts.add(text);
                }
            }
            ui.accept(() -> then.accept(texts));
        });
    }

    /** Keeps a chat's draft (blank: none); in order with the reads, so a later {@link #draft} sees it. */
    void saveDraft(String chatUUID, int subID, String text) {
        reads.execute(() -> lookups.saveDraft(chatUUID, subID, text));
    }

    /**
     * The messages matching {@code ftsQuery} (an empty query matches none); a failed query answers none too.
     * {@code superseded} stops the query between SQLite's steps, and then {@code then} is not called at all: the
     * newer query is already queued behind this one.
     */
    void search(String ftsQuery, int limit, BooleanSupplier superseded, Consumer<List<MessageView>> then) {
        reads.execute(() -> {
            List<MessageView> hits;
            try {
                var answer = ftsQuery.isEmpty() ? Optional.of(List.<MessageView>of())
                        : lookups.search(ftsQuery, limit, superseded);
                if (answer.isEmpty()) return;
                hits = answer.get();
            } catch (RuntimeException e) {
                hits = List.of();
            }
            List<MessageView> found = hits;
            ui.accept(() -> then.accept(found));
        });
    }
}
