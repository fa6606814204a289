package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import dev.novyse.state.AppState;

import java.util.List;
import java.util.StringJoiner;

/**
 * Tab in the composer, and in the prompts that ask for a path: completes the word before the cursor
 * ({@link Completion}) and, pressed again, puts the next
 * candidate in the previous one's place; the focus-back key (S-Tab) goes back; any other key keeps the one shown.
 * With nothing to complete the key is not taken, so Tab moves the focus as anywhere else. A mention's candidates
 * are the open chat's members as the store has them now, read on the reads thread: Tabs typed before the answer
 * count, and a draft changed meanwhile drops it.
 */
final class ComposerCompletion {
    private final UiModel m;
    private final KeyMap keys;
    private final StoreReads reads;
    /** The candidates being cycled through; null when no completion is under way. */
    private Cycle cycle;
    /** A mention waiting for the members' read; null when none. */
    private Pending pending;

    ComposerCompletion(UiModel m, KeyMap keys, StoreReads reads) {
        this.m = m;
        this.keys = keys;
        this.reads = reads;
    }

    /** Takes {@code k} if it completes or cycles; false leaves it to the composer or the keys of every pane. */
    boolean key(KeyStroke k) {
        int step = keys.is(k, KeyMap.Action.COMPLETE) ? 1 : keys.is(k, KeyMap.Action.FOCUS_PREV) ? -1 : 0;
        if (pending != null && pending.unchanged(m) && step != 0) {
            pending.steps += step;
            return true;
        }
        pending = null;
        if (cycle != null && cycle.shown(m.composer) && step != 0) {
            cycle.step(m, step, keys);
            return true;
        }
        end();
        return step == 1 && start();
    }

    /**
     * A key in a prompt that asks for a path (attach, save): Tab completes the path's last segment from its folder,
     * again the next name, S-Tab back. True when it took the key; every other key goes to the prompt.
     */
    boolean pathKey(Composer answer, KeyStroke k) {
        int step = keys.is(k, KeyMap.Action.COMPLETE) ? 1 : keys.is(k, KeyMap.Action.FOCUS_PREV) ? -1 : 0;
        if (step == 0) {
            end();
            return false;
        }
        if (cycle != null && cycle.shown(answer)) {
            cycle.step(m, step, keys);
            return true;
        }
        cycle = null;
        String typed = answer.beforeCursor();
        String segment = typed.equals("~") ? typed : typed.substring(typed.lastIndexOf('/') + 1);
        List<Completion.Candidate> names = Completion.paths(typed, FileTransfers.home());
        if (names.isEmpty()) m.flash("nothing to complete for " + (typed.isEmpty() ? "an empty path" : typed), false);
        else begin(answer, Graphemes.split(segment).size(), names, 1);
        return true;
    }

    /** The completion is over (another key came): its candidates leave the status bar with it. */
    private void end() {
        if (cycle != null && cycle.hinted != null) m.unflash(cycle.hinted);
        cycle = null;
    }

    private boolean start() {
        Completion.Word word = Completion.word(m.composer.beforeCursor());
        if (word == null) return false;
        switch (word.kind()) {
            case COMMAND -> begin(word, Completion.commands(word.prefix(), SlashCommands.NAMES), 1);
            case EMOJI -> begin(word, Completion.emoji(word.prefix()), 1);
            case CHAT -> begin(word, Completion.chats(word.prefix(), m.state.chats()), 1);
            case MEMBER -> {
                AppState.OpenChat open = m.state.window().chat();
                if (open == null) return false;
                Pending p = new Pending(m.composer.text(), m.composer.cursor(), open.chatUUID());
                pending = p;
                reads.members(open.chatUUID(), members -> {
                    if (pending != p) return;
                    pending = null;
                    if (p.unchanged(m)) begin(word, Completion.members(word.prefix(), members, m.state.myUUID()), p.steps);
                });
            }
        }
        return true;
    }

    /** Puts the first candidate in the word's place, then moves {@code steps - 1} further (Tabs typed meanwhile). */
    private void begin(Completion.Word word, List<Completion.Candidate> candidates, int steps) {
        if (candidates.isEmpty()) {
            m.flash("nothing to complete for " + (word.text().isEmpty() ? "/open" : word.text()), false);
            return;
        }
        // A chat's name may hold spaces: all of it after "/open " is replaced, not only its last word.
        int typed = word.kind() == Completion.Kind.CHAT ? Graphemes.split(word.text()).size() : m.composer.wordBeforeCursor();
        begin(m.composer, typed, candidates, steps);
    }

    /** Puts the first candidate in place of the {@code typed} characters before the cursor of {@code target}. */
    private void begin(Composer target, int typed, List<Completion.Candidate> candidates, int steps) {
        int made = target.replaceBeforeCursor(typed, candidates.get(0).insert());
        if (candidates.size() == 1) return; // nothing to cycle: Tab again moves on
        cycle = new Cycle(target, candidates, made);
        cycle.remember();
        if (steps != 1) cycle.step(m, steps - 1, keys);
        else cycle.hint(m, keys);
    }

    /** A mention's Tab waiting for the members: the draft as it was, and the Tabs (+1) and S-Tabs (-1) since. */
    private static final class Pending {
        final String text;
        final int cursor;
        final String chatUUID;
        int steps = 1;

        Pending(String text, int cursor, String chatUUID) {
            this.text = text;
            this.cursor = cursor;
            this.chatUUID = chatUUID;
        }

        boolean unchanged(UiModel m) {
            AppState.OpenChat open = m.state.window().chat();
            return open != null && open.chatUUID().equals(chatUUID) && m.composer.cursor() == cursor
                    && m.composer.text().equals(text);
        }
    }

    /** The candidates, the one shown, and how many characters it took, so the next one can replace it. */
    private static final class Cycle {
        /** The composer or the prompt's answer being completed. */
        final Composer target;
        final List<Completion.Candidate> candidates;
        int index;
        int made;
        String text;
        int cursor;
        /** The status bar's line of candidates, null before the first. */
        String hinted;

        Cycle(Composer target, List<Completion.Candidate> candidates, int made) {
            this.target = target;
            this.candidates = candidates;
            this.made = made;
        }

        void remember() {
            text = target.text();
            cursor = target.cursor();
        }

        /** Whether {@code c} is the target and still shows this cycle's insertion (nothing was pasted or loaded since). */
        boolean shown(Composer c) {
            return c == target && target.cursor() == cursor && target.text().equals(text);
        }

        void step(UiModel m, int by, KeyMap keys) {
            index = Math.floorMod(index + by, candidates.size());
            made = target.replaceBeforeCursor(made, candidates.get(index).insert());
            remember();
            hint(m, keys);
        }

        /** The candidates on the status line, the one shown in brackets. */
        void hint(UiModel m, KeyMap keys) {
            StringJoiner line = new StringJoiner("  ");
            for (int i = 0; i < candidates.size(); i++) {
                String label = candidates.get(i).label();
                line.add(i == index ? "[" + label + "]" : label);
            }
            hinted = line + "  (" + first(keys, KeyMap.Action.COMPLETE) + " next, "
                    + first(keys, KeyMap.Action.FOCUS_PREV) + " back)";
            m.flash(hinted, false);
        }

        private static String first(KeyMap keys, KeyMap.Action a) {
            List<String> k = keys.keysOf(a);
            return k.isEmpty() ? "?" : k.get(0);
        }
    }
}
