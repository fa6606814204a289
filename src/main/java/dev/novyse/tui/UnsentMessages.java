package dev.novyse.tui;

import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;

import java.util.List;

/**
 * The open chat's messages the server refused (FAILED in the outbox, drawn under the others with the reason):
 * {@code /retry} sends them again, {@code /drop} takes the newest one out of the outbox and back into the composer to
 * be changed. The CLI's {@code outbox retry} and {@code outbox drop} do the same for every chat.
 */
final class UnsentMessages {
    private final UiModel m;
    private final ServerCalls calls;

    UnsentMessages(UiModel m, ServerCalls calls) {
        this.m = m;
        this.calls = calls;
    }

    /** {@code /retry}: every refused message of the open chat again, oldest first. */
    void retry() {
        List<PendingMessage> refused = refused();
        if (refused.isEmpty()) {
            m.flash("nothing to retry: the server refused no message of this chat", true);
            return;
        }
        if (calls.postableChat(false) == null) return; // still refused for the same reason: they stay as they are
        calls.retry(refused.stream().map(PendingMessage::tempId).toList());
    }

    /** {@code /drop}: the newest refused message out of the outbox, its text into the composer. */
    void takeBack() {
        List<PendingMessage> refused = refused();
        if (refused.isEmpty()) {
            m.flash("nothing to drop: the server refused no message of this chat", true);
            return;
        }
        PendingMessage newest = refused.get(refused.size() - 1);
        String text = newest.content() == null ? "" : newest.content();
        boolean withFiles = !newest.files().isEmpty();
        calls.drop(newest.tempId(), () -> {
            // Typed meanwhile (the drop waited behind a slow call): the text goes under it, nothing is lost.
            String typed = m.composer.text();
            m.composer.set(typed.isBlank() ? text : typed + "\n" + text);
            m.flash("the unsent message is back in the composer" + (withFiles ? " (its files are not: /attach them"
                    + " again)" : "") + "; Enter sends it", false);
        });
    }

    private List<PendingMessage> refused() {
        return m.state.window().pending().stream().filter(p -> p.state() == OutboxState.FAILED).toList();
    }
}
