package dev.novyse.tui;

import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.store.OutboxState;
import dev.novyse.store.PendingMessage;
import dev.novyse.sync.OutboxSender;

import java.util.ArrayList;
import java.util.List;

/**
 * The open chat's messages the server refused (FAILED in the outbox, drawn under the others with the reason):
 * {@code /retry} sends them again as {@code novyse outbox retry} does; {@code /drop} takes the newest one out of the
 * outbox and back into the composer (with the reply it was) to be changed, as {@code outbox drop} and a paste would.
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
        List<PendingMessage> refused = refused("retry");
        if (refused.isEmpty()) return;
        if (calls.postableChat(false) == null) return; // still refused for the same reason: they stay as they are
        calls.retry(refused.stream().map(PendingMessage::tempId).toList());
    }

    /**
     * {@code /drop}: the newest refused message's text into the composer at once (the composer is empty: the command
     * was in it), then out of the outbox. Its files are not taken back: such a message is left to {@code /retry} or
     * {@code novyse outbox drop}, which say what it holds.
     */
    void takeBack() {
        List<PendingMessage> refused = refused("drop");
        if (refused.isEmpty()) return;
        if (m.editing != null || m.replyTo != null) {
            m.flash("finish or cancel the reply or edit first (Esc), then /drop", true);
            return;
        }
        PendingMessage newest = refused.get(refused.size() - 1);
        if (!newest.files().isEmpty()) {
            m.flash("it has " + (newest.files().size() == 1 ? "a file" : newest.files().size() + " files")
                    + ": /retry it, or 'novyse outbox drop' in a shell", true);
            return;
        }
        String text = newest.content() == null ? "" : newest.content();
        m.composer.set(text); // first, here: whatever happens to the outbox's row, the text is not lost
        MessageView answered = newest.replyTo() == null ? null : shown(newest.replyTo().messageID());
        m.replyTo = answered;
        boolean mayPost = m.may(newest.chatUUID(), "SEND"); // a channel's member keeps it until made admin
        calls.drop(newest.tempId(), dropped -> m.flash(!dropped
                ? "it was no longer in the outbox (sent or dropped meanwhile); its text is in the composer"
                : "the unsent message is back in the composer" + (newest.replyTo() != null && answered == null
                ? " (it answered #" + newest.replyTo().messageID() + ", not loaded here)" : "")
                + (mayPost ? "; Enter sends it" : ""), !dropped));
    }

    /**
     * What a flush of the outbox could not deliver, for the status bar: the messages the server refused (kept, to be
     * retried or dropped in their chat) and the queued reactions it refused (gone). On the UI thread (it reads the list).
     */
    static String said(OutboxSender.Flushed sent, UiModel m) {
        List<String> said = new ArrayList<>();
        if (!sent.failed().isEmpty()) {
            int n = sent.failed().size();
            ChatSummary chat = m.chat(sent.failed().get(0).message().chatUUID());
            said.add((n == 1 ? "" : n + " messages ") + "not sent: " + sent.failed().get(0).reason() + " (/retry or /drop in "
                    + (chat == null || chat.title() == null ? "its chat" : chat.title()) + ")");
        }
        if (!sent.refused().isEmpty()) said.add("not sent, dropped: " + String.join("; ", sent.refused()));
        return String.join("; ", said);
    }

    /** The open chat's refused messages, oldest first; none (and said why) when no chat is open or it has none. */
    private List<PendingMessage> refused(String command) {
        if (m.state.window().chat() == null) {
            m.flash("open a chat first (Tab to the chat list, Enter)", true);
            return List.of();
        }
        List<PendingMessage> refused = m.state.window().pending().stream()
                .filter(p -> p.state() == OutboxState.FAILED).toList();
        if (refused.isEmpty()) m.flash("nothing to " + command + ": the server refused no message of this chat", true);
        return refused;
    }

    private MessageView shown(Long id) {
        if (id == null) return null;
        for (MessageView v : m.state.window().messages()) if (v.id() == id) return v;
        return null;
    }
}
