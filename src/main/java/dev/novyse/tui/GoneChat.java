package dev.novyse.tui;

import dev.novyse.protocol.Sub;
import dev.novyse.state.AppState;
import dev.novyse.state.StateDriver;
import dev.novyse.store.ChatSummary;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * The open chat dropped from the chat list after the list had shown it: the account left it (here or in another
 * terminal) or was removed, and the store no longer holds it. The list's first chat opens instead of a window that
 * shows nothing and would queue what is typed for a chat the server no longer takes from this account; with no chat
 * left, the window closes. What the composer held (a draft, a reply, an edit's text) stays with the person: in the
 * chat opened instead, or in the composer for the next chat entered. Said on the status bar either way, and a question
 * about the chat gone (a delete to confirm) goes with it.
 */
final class GoneChat {
    private final UiModel m;
    private final PerChat perChat;
    private final StateDriver driver;
    private final BiConsumer<String, Integer> open;
    private final StoreReads reads;
    /** The open chat as the chat list last listed it, or null. */
    private ChatSummary openListed;

    GoneChat(UiModel m, PerChat perChat, StateDriver driver, StoreReads reads, BiConsumer<String, Integer> open) {
        this.m = m;
        this.perChat = perChat;
        this.driver = driver;
        this.reads = reads;
        this.open = open;
    }

    /**
     * The chat list changed from {@code before}: a chat gone from it that was not open, and that the store no longer
     * holds (not one pushed past the list's length), may keep a draft typed there. It stays in the store (it comes back
     * if the account is added again) and is said now and printed on quitting, rather than kept where nothing shows it.
     */
    void others(List<ChatSummary> before) {
        List<ChatSummary> now = m.state.chats();
        if (before == now) return;
        Set<String> listed = new HashSet<>();
        for (ChatSummary c : now) listed.add(c.uuid());
        m.strandedDrafts.keySet().removeIf(listed::contains);
        AppState.OpenChat openChat = m.state.window().chat();
        for (ChatSummary c : before) {
            // The open chat gone is check()'s: its text goes along, or stays in the composer (m.goneChat).
            if (listed.contains(c.uuid()) || openChat != null && openChat.chatUUID().equals(c.uuid())
                    || c.uuid().equals(m.goneChat)) continue;
            List<Integer> subs = new ArrayList<>(List.of(0));
            for (Sub s : m.subs.getOrDefault(c.uuid(), List.of())) if (s.id() != 0) subs.add(s.id());
            String name = c.title() == null ? "a chat" : c.title();
            reads.strandedDrafts(c.uuid(), subs, texts -> {
                if (texts.isEmpty() || m.chat(c.uuid()) != null) return;
                m.strandedDrafts.put(c.uuid(), new UiModel.StrandedDraft(name, String.join("\n", texts)));
                m.flash("you are no longer in " + name + "; the draft you had there is kept, and printed when you quit",
                        true);
            });
        }
    }

    /** A new state or chat list. */
    void check() {
        AppState.OpenChat chat = m.state.window().chat();
        if (chat != null && chat.chatUUID().equals(m.goneChat)) return; // closing already
        ChatSummary listed = chat == null ? null : m.chat(chat.chatUUID());
        if (listed != null || chat == null) {
            openListed = listed;
            return;
        }
        // Never listed while open (a chat just created here, not yet in the store): not gone. Nor while a switch to
        // another chat is under way (the window is still the one left).
        if (openListed == null || !openListed.uuid().equals(chat.chatUUID())
                || !perChat.isCurrent(chat.chatUUID(), chat.subID())) return;
        String name = openListed.title() == null ? "that chat" : openListed.title();
        boolean ownLeave = chat.chatUUID().equals(m.leaving);
        openListed = null;
        m.leaving = null;
        m.overlay = null; // a question or a prompt about the chat gone (a delete, a file to attach to it) goes with it
        if (m.focus == UiModel.Focus.MESSAGES) m.focus = UiModel.Focus.COMPOSER; // its selected message went too
        m.selected = null;
        String said = ownLeave ? "left " + name : "you are no longer in " + name;
        String text = perChat.heldText();
        if (m.state.chats().isEmpty()) {
            perChat.forget(text);
            m.composer.set(text);
            m.goneChat = chat.chatUUID(); // until the window closes (on the driver's thread), states still show it
            m.state = m.state.withWindow(AppState.ChatWindow.NONE);
            driver.closeWindow();
            m.flash(said + (text.isBlank() ? "" : "; your text waits here for the next chat you open"), !ownLeave);
            return;
        }
        m.editing = null; // the chat left keeps no draft, reply or edit: the text goes along
        m.replyTo = null;
        m.composer.clear();
        ChatSummary next = m.state.chats().get(0);
        open.accept(next.uuid(), 0);
        if (text.isBlank()) {
            m.flash(said, !ownLeave);
        } else {
            perChat.carry(next.uuid(), 0, text);
            m.flash(said + "; your text is here in " + (next.title() == null ? "the first chat" : next.title())
                    + " now", true);
        }
    }
}
