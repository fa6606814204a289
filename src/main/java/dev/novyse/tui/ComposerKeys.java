package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.state.AppState;
import dev.novyse.store.MessageView;
import dev.novyse.sync.OutboxSender;

import java.util.List;
import java.util.function.Consumer;

/**
 * Keys while the composer has the focus: editing the text, and Enter, which sends it as a new message, saves it
 * as an edit, or runs it as a slash command. Typing tells the chat's members, at most every three seconds.
 */
final class ComposerKeys {
    private final UiModel m;
    private final KeyMap keys;
    private final Navigator nav;
    private final ServerCalls calls;
    private final SlashCommands commands;
    private final Consumer<String> typing;
    private long lastTypingSignal;

    ComposerKeys(UiModel m, KeyMap keys, Navigator nav, ServerCalls calls, SlashCommands commands,
                 Consumer<String> typing) {
        this.m = m;
        this.keys = keys;
        this.nav = nav;
        this.calls = calls;
        this.commands = commands;
        this.typing = typing;
    }

    void key(KeyStroke k) {
        if (keys.is(k, KeyMap.Action.NEWLINE)) {
            m.composer.newline();
            return;
        }
        if (keys.is(k, KeyMap.Action.SEND)) {
            submit();
            return;
        }
        if (keys.is(k, KeyMap.Action.CANCEL)) {
            nav.endEdit();
            m.replyTo = null;
            return;
        }
        // Up and Down move between the lines of a draft of several; from its first line Up is what it is elsewhere.
        if (k.getKeyType() == KeyType.ArrowUp && m.composer.lineUp()) return;
        if (k.getKeyType() == KeyType.ArrowDown && m.composer.lineDown()) return;
        if (keys.is(k, KeyMap.Action.SELECT) && m.composer.isEmpty()) {
            List<MessageView> msgs = m.state.window().messages();
            if (!msgs.isEmpty()) {
                nav.select(msgs.get(msgs.size() - 1).id());
                m.focus = UiModel.Focus.MESSAGES;
            }
            return;
        }
        if (m.composer.edit(k)) signalTyping();
    }

    private void signalTyping() {
        AppState.OpenChat open = m.state.window().chat();
        long now = System.currentTimeMillis();
        if (open != null && now - lastTypingSignal > 3000 && !m.composer.text().startsWith("/")) {
            lastTypingSignal = now;
            typing.accept(open.chatUUID());
        }
    }

    /**
     * Enter: "/cmd" on one line is a command (not while editing a message), "//text" sends "/text". A draft of several
     * lines is always a message (a paste that began with "/quit" quit the chat screen and lost the rest), and an
     * unknown command leaves the draft as typed ("/tmp/foo is full" was wiped with the error).
     */
    private void submit() {
        String text = m.composer.text().strip();
        if (text.isEmpty()) return;
        if (text.startsWith("/") && !text.startsWith("//") && m.editing == null && text.indexOf('\n') < 0) {
            if (commands.knows(text)) m.composer.clear();
            commands.run(text);
            return;
        }
        if (text.startsWith("//")) text = text.substring(1);
        AppState.OpenChat open = calls.writableChat();
        if (open == null) return;
        String tooLong = OutboxSender.tooLong(text);
        if (tooLong != null) { // the draft stays to be cut down
            m.flash(tooLong, true);
            return;
        }
        if (m.editing != null) {
            AppState.Connection c = m.state.connection();
            if (c == AppState.Connection.OFFLINE || c == AppState.Connection.CONNECTING
                    || c == AppState.Connection.SIGNED_OUT) { // the edit stays in the composer until it can go
                m.flash("offline: an edit needs the server; it stays here until the server is back", true);
                return;
            }
            MessageView target = m.editing;
            String content = text;
            nav.endEdit();
            // Refused: the edit comes back to the composer, the draft kept again, so that nothing typed is lost.
            calls.run("edited", a -> a.edit(target.chatUUID(), target.subID(), target.id(), content),
                    () -> nav.restoreEdit(target, content));
            return;
        }
        if (calls.postableChat(true) == null) return; // a channel's member: the server would refuse it from the outbox
        m.composer.clear();
        lastTypingSignal = 0;
        String content = text;
        Long reply = m.replyTo == null ? null : m.replyTo.id();
        m.replyTo = null;
        nav.latest(); // the message sent shows at the newest, also when an older stretch was on the screen
        calls.send(open, content, reply);
    }
}
