package dev.novyse.tui;

import dev.novyse.state.Lookups;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;
import dev.novyse.sync.ChannelEvent;
import dev.novyse.sync.LiveChannel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Rings the bell (visible to tmux) and runs the notify hook for a live DM or mention from someone else. Subscribed
 * to the live channel: runs on its worker thread.
 */
final class Notifier implements Consumer<ChannelEvent> {
    private final Lookups lookups;
    /** Whether a chat is muted now: the screen's state answers it, no store read per message. */
    private final java.util.function.Predicate<String> muted;
    private final List<String> command;
    private final Runnable bell;
    private final boolean bellOn;

    Notifier(Lookups lookups, java.util.function.Predicate<String> muted, String command, Runnable bell, boolean bellOn) {
        this.lookups = lookups;
        this.muted = muted;
        this.command = command == null || command.isBlank() ? List.of() : List.of(command.trim().split("\\s+"));
        this.bell = bell;
        this.bellOn = bellOn;
    }

    /** Only messages that arrived live: what a catch-up sync brings is not news worth a bell. */
    @Override
    public void accept(ChannelEvent event) {
        if (event instanceof ChannelEvent.MessageArrived m && m.source() == LiveChannel.Source.LIVE) {
            message(m.message());
        }
    }

    void message(MessageView m) {
        String me = lookups.accountUserUUID().orElse("");
        if (m.senderUUID() == null || m.senderUUID().equals(me) || m.deleted()) return;
        ChatSummary chat = lookups.chat(m.chatUUID()).orElse(null);
        String handle = lookups.accountHandle().map(h -> "@" + h.toLowerCase(Locale.ROOT)).orElse(null);
        boolean dm = chat != null && "DM".equals(chat.type());
        boolean mention = handle != null && m.content() != null && m.content().toLowerCase(Locale.ROOT).contains(handle);
        if (!dm && !mention) return;
        if (muted.test(m.chatUUID())) return; // muted: silent, still counted
        if (bellOn) bell.run();
        if (!command.isEmpty()) notify(chat == null ? "novyse" : chat.title(), m);
    }

    /**
     * The hook gets the title and text as separate arguments ({title} and {body} in the configured command,
     * or appended), never through a shell, so a message cannot inject commands.
     */
    private void notify(String title, MessageView m) {
        String body = (m.senderName() == null ? "" : m.senderName() + ": ") + (m.content() == null ? "" : m.content());
        List<String> argv = new ArrayList<>();
        boolean placed = false;
        for (String a : command) {
            if (a.contains("{title}") || a.contains("{body}")) placed = true;
            argv.add(a.replace("{title}", title == null ? "novyse" : title).replace("{body}", body));
        }
        if (!placed) {
            argv.add(title == null ? "novyse" : title);
            argv.add(body);
        }
        try {
            new ProcessBuilder(argv).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException ignored) {
            // a missing notifier must not disturb the chat
        }
    }
}
