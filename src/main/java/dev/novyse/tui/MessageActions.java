package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.store.MessageView;

import java.util.List;

/**
 * Keys while the message pane has the focus: moving the selection, and what can be done to the selected message
 * (reply, edit, delete, react, pin, save or open its file, copy its text, open a link, favourite). Changes go to the server through {@link ServerCalls}.
 */
final class MessageActions {
    private final UiModel m;
    private final KeyMap keys;
    private final Navigator nav;
    private final ServerCalls calls;
    private final FileTransfers files;
    private final Clipboard clipboard;
    private final Links links;
    private final FileOpener opener;

    MessageActions(UiModel m, KeyMap keys, Navigator nav, ServerCalls calls, FileTransfers files, Clipboard clipboard,
                   Links links, FileOpener opener) {
        this.opener = opener;
        this.m = m;
        this.keys = keys;
        this.nav = nav;
        this.calls = calls;
        this.files = files;
        this.clipboard = clipboard;
        this.links = links;
    }

    void key(KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character && !k.isCtrlDown() && !k.isAltDown() ? k.getCharacter() : 0;
        List<MessageView> msgs = m.state.window().messages();
        MessageView sel = selectedMessage();
        int idx = sel == null ? msgs.size() : msgs.indexOf(sel);
        if (t == KeyType.ArrowUp || c == 'k') {
            if (idx > 0) nav.select(msgs.get(idx - 1).id());
            if (idx <= 1) nav.loadOlderIfAny();
        } else if (t == KeyType.ArrowDown || c == 'j') {
            if (idx >= 0 && idx < msgs.size() - 1) nav.select(msgs.get(idx + 1).id());
            else if (m.state.window().tail()) toComposer();
            if (idx >= msgs.size() - 2) nav.loadNewerIfAny(); // an older stretch of the chat (after a jump) goes on
        } else if (t == KeyType.Home || c == 'g') {
            if (!msgs.isEmpty()) nav.select(msgs.get(0).id());
            nav.loadOlderIfAny();
        } else if (t == KeyType.End || c == 'G') {
            if (!msgs.isEmpty()) nav.select(msgs.get(msgs.size() - 1).id());
            m.scroll = 0;
        } else if (t == KeyType.Escape || t == KeyType.Enter) {
            toComposer();
        } else if (sel != null) {
            act(sel, k);
        }
    }

    private void act(MessageView sel, KeyStroke k) {
        if (keys.is(k, KeyMap.Action.GO_TO_QUOTED)) {
            MessageView.ReplyRef r = sel.replyTo();
            if (r == null) m.flash("this message replies to none", false);
            else if (r.quoted() == null) m.flash("the message it replies to is not in this device's store", false);
            else nav.jumpTo(r.chatUUID(), r.subID(), r.messageID());
        } else if (keys.is(k, KeyMap.Action.REPLY)) {
            if (!m.may(sel.chatUUID(), "SEND")) { // a reply is a post: the composer's read-only rule stays
                m.flash("only the channel's admins post here, replies too", true);
                return;
            }
            nav.endEdit();
            m.replyTo = sel;
            toComposerKeepingTheView();
        } else if (keys.is(k, KeyMap.Action.EDIT)) {
            if (!mine(sel) || sel.deleted()) {
                m.flash("you can only edit your own messages", true);
                return;
            }
            nav.startEdit(sel, sel.content() == null ? "" : sel.content());
            toComposerKeepingTheView();
        } else if (keys.is(k, KeyMap.Action.DELETE)) {
            if (sel.deleted()) return;
            if (mine(sel)) {
                m.overlay = new UiModel.Confirm("Delete " + quoted(sel) + " for everyone?",
                        () -> calls.run("deleted", a -> a.delete(sel.chatUUID(), sel.subID(), sel.id())));
                return;
            }
            // Someone else's: those whose roles grant it (a chat's admins and owner) may delete it; the server decides too.
            if (!m.may(sel.chatUUID(), "DELETE_ANY")) m.flash("only the chat's admins may delete others' messages", true);
            else m.overlay = new UiModel.Confirm("Delete " + quoted(sel) + " for everyone, as an admin?", () ->
                    calls.run("deleted", a -> a.delete(sel.chatUUID(), sel.subID(), sel.id())));
        } else if (keys.is(k, KeyMap.Action.REACT)) {
            if (!sel.deleted()) m.overlay = new UiModel.React(sel);
        } else if (keys.is(k, KeyMap.Action.PIN)) {
            // Everyone in the chat sees a pin: asked first, like a delete.
            boolean pin = !sel.pinned();
            m.overlay = new UiModel.Confirm(pin ? "Pin " + quoted(sel) + " for everyone in the chat?"
                    : "Unpin " + quoted(sel) + " for everyone?",
                    () -> calls.run(pin ? "pinned" : "unpinned", a -> a.pin(sel.chatUUID(), sel.subID(), sel.id(), pin)));
        } else if (keys.is(k, KeyMap.Action.SAVE_FILE)) {
            files.promptSave(sel);
        } else if (keys.is(k, KeyMap.Action.OPEN_FILE)) {
            opener.open(sel);
        } else if (keys.is(k, KeyMap.Action.COPY)) {
            clipboard.copy(sel);
        } else if (keys.is(k, KeyMap.Action.OPEN_LINK)) {
            links.open(sel);
        } else if (keys.is(k, KeyMap.Action.FAVORITE)) {
            // The account's own list (no one else sees it): no question asked.
            boolean add = !sel.favorite();
            calls.run(add ? "added to your favourites (M-s lists them)" : "taken out of your favourites",
                    a -> a.favorite(sel.chatUUID(), sel.subID(), sel.id(), add));
        }
    }

    /** Adds {@code emoji} as the account's reaction to {@code target}, or takes it back when it is there already. */
    void react(MessageView target, String emoji) {
        m.overlay = null;
        boolean mineAlready = target.reactions().stream().anyMatch(r -> r.emoji().equals(emoji) && r.mine());
        calls.react(target, emoji, !mineAlready, sent -> m.flash(!sent
                ? "offline: the reaction is queued and goes out once connected"
                : mineAlready ? "reaction removed" : "reacted " + emoji, !sent));
    }

    private MessageView selectedMessage() {
        if (m.selected == null) return null;
        for (MessageView v : m.state.window().messages()) if (v.id() == m.selected) return v;
        return null;
    }

    private boolean mine(MessageView v) {
        return v.senderUUID() != null && v.senderUUID().equals(m.state.myUUID());
    }

    /** The message a question is about, as its sender and the start of its text: one would not confirm another. */
    private String quoted(MessageView sel) {
        String text = sel.content() == null || sel.content().isBlank() ? "(a file)" : MessageLines.oneLine(sel.content());
        String whose = mine(sel) ? "your" : MessageLines.first(sel.senderName(), "someone") + "'s";
        return whose + " “" + TextWidth.fit(text.strip(), 40) + "”";
    }

    /** Back to the composer: at the chat's newest message, or where the view is in an older stretch (after a jump). */
    private void toComposer() {
        toComposerKeepingTheView();
        if (m.state.window().tail()) m.scroll = 0;
    }

    /** To the composer to answer or edit the selected message, which stays in view. */
    private void toComposerKeepingTheView() {
        m.focus = UiModel.Focus.COMPOSER;
        m.selected = null;
    }
}
