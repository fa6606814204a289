package dev.novyse.tui;

import dev.novyse.store.ChatSummary;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which chats the chat switcher lists for what is typed, best first. A chat matches by its title (a DM's is the other
 * person's name) or its handle; a forum's sub by its name, or less well by "forum/sub". How a name matches ranks it:
 * at its start, then at the start of a word in it, then anywhere in one piece, then with its letters in order and
 * others between. Among equal matches a chat with unread messages comes first, then the chat list's order.
 */
final class ChatFilter {
    private static final int NONE = Integer.MAX_VALUE;
    /** The tier of a match by letters in order only. */
    private static final int LOOSE = 3;

    /** A forum's sub as the switcher lists it. */
    record ForumSub(int id, String name, int unread) {
    }

    /** One row of the switcher: a chat (sub 0, {@code isSub} false) or one sub of a forum. */
    /**
     * {@code exact}: the query is the whole name (the chat's title or handle, the sub's name or "forum/sub");
     * {@code loose}: it matches only by its letters in order, with others between.
     */
    record Choice(String chatUUID, int subID, boolean isSub, String label, int unread, boolean exact, boolean loose) {
    }

    private record Ranked(Choice choice, int tier, int order) {
    }

    private ChatFilter() {
    }

    /**
     * The chats (in the chat list's order) and the forums' subs read so far that match {@code query}, best first.
     * An empty query (or only "@" / "#") lists every chat, unread first, and no subs.
     */
    static List<Choice> rank(List<ChatSummary> chats, Map<String, List<ForumSub>> subs, String query) {
        String q = query.strip().toLowerCase(Locale.ROOT);
        while (q.startsWith("@") || q.startsWith("#")) q = q.substring(1);
        List<Ranked> found = new ArrayList<>();
        for (ChatSummary c : chats) {
            String title = c.title() == null ? "(unnamed)" : c.title();
            String label = Renderer.marker(c, false) + " " + title + (c.handle() == null ? "" : "  @" + c.handle());
            int tier = q.isEmpty() ? 0 : Math.min(tier(title, q), tier(c.handle(), q));
            boolean exact = q.equals(title.toLowerCase(Locale.ROOT)) || (c.handle() != null && q.equals(c.handle().toLowerCase(Locale.ROOT)));
            if (tier != NONE) {
                found.add(new Ranked(new Choice(c.uuid(), 0, false, label, c.unreadCount(), exact, tier == LOOSE), tier, found.size()));
            }
            if (q.isEmpty()) continue;
            for (ForumSub s : subs.getOrDefault(c.uuid(), List.of())) {
                int byName = tier(s.name(), q);
                // "forum/sub", or the switcher's own label of a sub, "Forum / sub", typed back
                int byPath = Math.min(tier(title + "/" + s.name(), q), tier(title + " / " + s.name(), q));
                int t = Math.min(byName, plusOne(byPath));
                if (t == NONE) continue;
                boolean loose = byName >= LOOSE && byPath >= LOOSE;
                String subLabel = Renderer.marker(c, false) + " " + title + " / " + s.name();
                boolean exactSub = s.name() != null && (q.equals(s.name().toLowerCase(Locale.ROOT))
                        || q.equals((title + "/" + s.name()).toLowerCase(Locale.ROOT))
                        || q.equals((title + " / " + s.name()).toLowerCase(Locale.ROOT)));
                found.add(new Ranked(new Choice(c.uuid(), s.id(), true, subLabel, s.unread(), exactSub, loose), t, found.size()));
            }
        }
        found.sort(Comparator.comparingInt(Ranked::tier)
                .thenComparing(r -> r.choice().unread() > 0 ? 0 : 1)
                .thenComparingInt(Ranked::order));
        return found.stream().map(Ranked::choice).toList();
    }

    private static int plusOne(int tier) {
        return tier == NONE ? NONE : tier + 1;
    }

    /** How well {@code text} matches the lower-case {@code q}: 0 best, {@link #NONE} not at all. */
    static int tier(String text, String q) {
        if (text == null || text.isEmpty()) return NONE;
        String t = text.toLowerCase(Locale.ROOT);
        if (t.startsWith(q)) return 0;
        for (int i = t.indexOf(q); i > 0; i = t.indexOf(q, i + 1)) {
            if (!Character.isLetterOrDigit(t.charAt(i - 1))) return 1;
        }
        if (t.contains(q)) return 2;
        int at = 0;
        for (int i = 0; i < q.length() && at >= 0; i++) {
            at = t.indexOf(q.charAt(i), at);
            if (at >= 0) at++;
        }
        return at >= 0 ? LOOSE : NONE;
    }
}
