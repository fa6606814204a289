package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.state.AppState;

/**
 * The dialogs drawn over the screen ({@link UiModel.Overlay}): the open one takes every key, and Esc closes any.
 * Help, pins, confirm, react and prompt are handled here; search, which queries as it is typed, in
 * {@link SearchDialog}; the chat switcher in {@link ChatSwitcher}.
 */
final class Dialogs {
    private final UiModel m;
    private final KeyMap keys;
    private final StoreReads reads;
    private final Navigator nav;
    private final SearchDialog search;
    private final ChatSwitcher switcher;
    private final MessageActions messages;
    private final ComposerCompletion completion;

    private final ProfileDialog profiles;

    Dialogs(UiModel m, KeyMap keys, StoreReads reads, Navigator nav, SearchDialog search, ChatSwitcher switcher,
            MessageActions messages, ComposerCompletion completion, ProfileDialog profiles) {
        this.completion = completion;
        this.profiles = profiles;
        this.m = m;
        this.keys = keys;
        this.reads = reads;
        this.nav = nav;
        this.search = search;
        this.switcher = switcher;
        this.messages = messages;
    }

    ProfileDialog profiles() {
        return profiles;
    }

    /** {@code /log}: the status messages said this session, newest first, whole (the bar cuts a long one). */
    void openLog() {
        m.overlay = new UiModel.Help(java.util.List.copyOf(m.said));
    }

    void openHelp() {
        m.overlay = new UiModel.Help();
    }

    /** The open chat's pinned messages, read in the background; the dialog opens when they are there. */
    void openPins() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null) return;
        reads.pins(open.chatUUID(), pins -> m.overlay = new UiModel.Pins(pins));
    }

    /** The account's favourite messages, every chat: read in the background, then listed like search hits. */
    void openFavorites() {
        reads.favorites(favorites -> search.openFavorites(favorites));
    }

    /** {@code /members}: the open chat's members, read in the background; the dialog opens when they are there. */
    void openMembers() {
        AppState.OpenChat open = m.state.window().chat();
        if (open == null) {
            m.flash("open a chat first", true);
            return;
        }
        reads.members(open.chatUUID(), members -> {
            m.overlay = new UiModel.Members(members);
            profiles.askPresence(members.stream().map(dev.novyse.store.MemberView::userUUID).toList());
        });
    }

    void key(KeyStroke k) {
        UiModel.Overlay o = m.overlay;
        if (k.getKeyType() == KeyType.Escape) m.overlay = null;
        else if (o instanceof UiModel.Help h) helpKey(h, k);
        else if (o instanceof UiModel.Confirm q) confirmKey(q, k);
        else if (o instanceof UiModel.React r) reactKey(r, k);
        else if (o instanceof UiModel.Pins p) pinsKey(p, k);
        else if (o instanceof UiModel.Members ms) membersKey(ms, k);
        else if (o instanceof UiModel.Profile) m.overlay = k.getKeyType() == KeyType.Enter || isQ(k) ? null : o;
        else if (o instanceof UiModel.Search s) search.key(s, k);
        else if (o instanceof UiModel.Switcher w) switcher.key(w, k);
        else if (o instanceof UiModel.Prompt p) promptKey(p, k);
    }

    private void helpKey(UiModel.Help h, KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character ? k.getCharacter() : 0;
        if (t == KeyType.Enter || keys.is(k, KeyMap.Action.HELP) || c == 'q') m.overlay = null;
        // The renderer clamps top to what the window shows, so a scroll past the end just stays there.
        else if (t == KeyType.ArrowDown || c == 'j') h.top++;
        else if (t == KeyType.ArrowUp || c == 'k') h.top = Math.max(0, h.top - 1);
        else if (t == KeyType.PageDown || c == ' ') h.top += Math.max(1, h.page - 1); // a line stays for context
        else if (t == KeyType.PageUp) h.top = Math.max(0, h.top - Math.max(1, h.page - 1));
        else if (t == KeyType.Home) h.top = 0;
    }

    /** Any key answers: y (or Y) confirms, anything else is no. */
    private void confirmKey(UiModel.Confirm q, KeyStroke k) {
        m.overlay = null;
        if (k.getKeyType() == KeyType.Character && Character.toLowerCase(k.getCharacter()) == 'y') q.yes().run();
    }

    /** A digit picks a quick reaction while nothing is typed; otherwise the typed emoji (or shortcode) is sent with Enter. */
    private void reactKey(UiModel.React r, KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Character && r.custom.isEmpty() && k.getCharacter() >= '1' && k.getCharacter() <= '8') {
            messages.react(r.target, UiModel.React.QUICK.get(k.getCharacter() - '1'));
        } else if (t == KeyType.Enter) {
            String typed = r.custom.text().strip();
            if (typed.isEmpty()) return;
            // The account's own reaction as typed first (another client's may be any text, or ❤ without the sign the
            // emoji's normal form has): typing it takes that one back, never adds its twin.
            String emoji = r.target.reactions().stream().anyMatch(x -> x.mine() && x.emoji().equals(typed)) ? typed
                    : ReactionInput.emoji(typed);
            // Here a bare word can only mean an emoji's shortcode ("tada"): the prompt asks for nothing else.
            if (emoji == null && !typed.startsWith(":")) emoji = ReactionInput.emoji(":" + typed + ":");
            if (emoji == null) m.flash("'" + typed + "' is not an emoji: type one, or its shortcode (tada, :thumbsup:, +1)", true);
            else messages.react(r.target, emoji);
        } else {
            r.custom.edit(k);
        }
    }

    private static boolean isQ(KeyStroke k) {
        return k.getKeyType() == KeyType.Character && k.getCharacter() == 'q';
    }

    private void membersKey(UiModel.Members ms, KeyStroke k) {
        KeyType t = k.getKeyType();
        char c = t == KeyType.Character ? k.getCharacter() : 0;
        if (t == KeyType.Enter && !ms.members.isEmpty()) {
            profiles.showUser(ms.members.get(ms.selected).userUUID());
            return;
        }
        if (t == KeyType.ArrowUp || c == 'k') ms.selected = Math.max(0, ms.selected - 1);
        else if (t == KeyType.ArrowDown || c == 'j') ms.selected = Math.min(ms.members.size() - 1, ms.selected + 1);
        else if (t == KeyType.PageDown) ms.selected = Math.min(ms.members.size() - 1, ms.selected + 10);
        else if (t == KeyType.PageUp) ms.selected = Math.max(0, ms.selected - 10);
        else if (t == KeyType.Enter || c == 'q') m.overlay = null;
    }

    private void pinsKey(UiModel.Pins p, KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t == KeyType.ArrowUp) p.selected = Math.max(0, p.selected - 1);
        else if (t == KeyType.ArrowDown) p.selected = Math.min(p.pins.size() - 1, p.selected + 1);
        else if (t == KeyType.Enter && !p.pins.isEmpty()) {
            var pin = p.pins.get(p.selected);
            m.overlay = null;
            nav.jumpTo(m.state.window().chat().chatUUID(), pin.subID(), pin.messageID());
        }
    }

    private void promptKey(UiModel.Prompt p, KeyStroke k) {
        if (p.path && completion.pathKey(p.answer, k)) return;
        if (k.getKeyType() == KeyType.Enter) {
            m.overlay = null;
            p.done.accept(p.answer.text().strip());
        } else {
            p.answer.edit(k);
        }
    }
}
