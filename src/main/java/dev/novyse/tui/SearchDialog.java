package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.store.ChatSummary;
import dev.novyse.store.MessageView;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The search dialog: full-text search over every chat in the local store (so it works offline), searching again
 * as the query is typed; Enter jumps to the chosen hit. The favourites list is the same dialog over the
 * account's favourite messages, filtered as words are typed.
 */
final class SearchDialog {
    private final UiModel m;
    private final StoreReads reads;
    private final Navigator nav;
    /** The latest search asked for; written on the UI thread, read by the search running on the reads thread. */
    private volatile long searchGeneration;

    SearchDialog(UiModel m, StoreReads reads, Navigator nav) {
        this.m = m;
        this.reads = reads;
        this.nav = nav;
    }

    void open(String initial) {
        UiModel.Search s = dialog();
        s.query.set(initial);
        m.overlay = s;
        if (!initial.isBlank()) search(s);
    }

    /** The favourites list: the same dialog, listing {@code favorites}; typing filters them. */
    void openFavorites(List<MessageView> favorites) {
        UiModel.Search s = dialog();
        s.favorites = favorites;
        s.results = favorites;
        m.overlay = s;
    }

    private UiModel.Search dialog() {
        UiModel.Search s = new UiModel.Search();
        Map<String, String> titles = new HashMap<>();
        for (ChatSummary c : m.state.chats()) titles.put(c.uuid(), c.title() == null ? "?" : c.title());
        s.chatTitles = titles;
        return s;
    }

    void key(UiModel.Search s, KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t == KeyType.ArrowUp) s.selected = Math.max(0, s.selected - 1);
        else if (t == KeyType.ArrowDown) s.selected = Math.min(Math.max(0, s.results.size() - 1), s.selected + 1);
        else if (t == KeyType.PageUp) s.selected = Math.max(0, s.selected - 10);
        else if (t == KeyType.PageDown) s.selected = Math.min(Math.max(0, s.results.size() - 1), s.selected + 10);
        else if (t == KeyType.Enter) {
            if (s.results.isEmpty()) return;
            MessageView hit = s.results.get(Math.min(s.selected, s.results.size() - 1));
            m.overlay = null;
            nav.jumpTo(hit.chatUUID(), hit.subID(), hit.id());
        } else if (s.query.edit(k)) {
            if (s.favorites == null) search(s);
            else filter(s);
        }
    }

    /**
     * Runs the query in the background. A query that a newer one supersedes is not started, or stops where it is
     * (SQLite checks between steps), so the newest query never waits behind a stale one.
     */
    private void search(UiModel.Search s) {
        String text = s.query.text();
        long generation = ++searchGeneration;
        reads.search(text.isBlank() ? "" : dev.novyse.store.FullTextQuery.ofWords(text), 100, () -> generation != searchGeneration, found -> {
            if (generation != searchGeneration || m.overlay != s) return;
            // The chosen hit stays chosen when it is still found (a longer query, a new message matching).
            MessageView was = s.results.isEmpty() ? null : s.results.get(Math.min(s.selected, s.results.size() - 1));
            s.results = found;
            s.selected = 0;
            for (int i = 0; was != null && i < found.size(); i++) {
                MessageView hit = found.get(i);
                if (hit.id() == was.id() && hit.subID() == was.subID() && hit.chatUUID().equals(was.chatUUID())) s.selected = i;
            }
            s.searchedFor = text;
        });
    }

    /**
     * A hit's text on one row of {@code room} columns, from a little before the first word searched for when the
     * start would leave that word out of sight ("…the pi is on the shelf"); else from its start.
     */
    static String snippet(String content, String searched, int room) {
        String text = MessageLines.oneLine(content);
        String lower = text.toLowerCase(Locale.ROOT);
        int at = -1;
        int end = -1;
        for (String word : (searched == null ? "" : searched).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
            int i = word.isEmpty() || lower.length() != text.length() ? -1 : lower.indexOf(word);
            if (i >= 0 && (at < 0 || i < at)) {
                at = i;
                end = i + word.length();
            }
        }
        if (at < 0 || room < 8 || TextWidth.columns(text.substring(0, end)) <= room) return text;
        int start = Math.max(0, at - room / 4);
        int space = text.lastIndexOf(' ', at - 1);
        start = space >= start ? space + 1 : at; // from the start of a word
        if (Character.isLowSurrogate(text.charAt(start))) start++;
        return "…" + text.substring(start);
    }

    /** The favourites whose text, sender or chat has every word typed (any case). */
    private static void filter(UiModel.Search s) {
        String[] words = s.query.text().toLowerCase(Locale.ROOT).trim().split("\\s+");
        List<MessageView> shown = new ArrayList<>();
        for (MessageView v : s.favorites) {
            String hay = String.join(" ", java.util.Objects.toString(v.content(), ""),
                    java.util.Objects.toString(v.senderName(), ""), s.chatTitles.getOrDefault(v.chatUUID(), ""))
                    .toLowerCase(Locale.ROOT);
            if (Arrays.stream(words).allMatch(hay::contains)) shown.add(v);
        }
        s.results = shown;
        s.selected = 0;
        s.top = 0;
        s.searchedFor = s.query.text();
    }
}
