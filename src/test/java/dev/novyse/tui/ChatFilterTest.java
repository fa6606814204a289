package dev.novyse.tui;

import dev.novyse.store.ChatSummary;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The chat switcher's matching: which chats and subs a typed text finds, and in which order. */
class ChatFilterTest {
    private static ChatSummary chat(String uuid, String type, String title, String handle, int unread) {
        return new ChatSummary(uuid, type, "DM".equals(type) ? null : title, title, handle, null, null, null, null,
                false, unread, 0, 0);
    }

    private static List<String> uuids(List<ChatFilter.Choice> choices) {
        return choices.stream().map(c -> c.chatUUID() + (c.isSub() ? "/" + c.subID() : "")).toList();
    }

    private final List<ChatSummary> chats = List.of(
            chat("team", "GROUP", "Platform team", "ptm", 0),
            chat("mara", "DM", "Mara Lindqvist", null, 0),
            chat("hikes", "GROUP", "Weekend hikes", null, 4),
            chat("marathon", "CHANNEL", "Marathon training", null, 0),
            chat("forum", "FORUM", "Novyse community", "novyse", 0));

    @Test
    void aStartOfANameBeatsAStartOfAWordBeatsAnywhereBeatsLettersInOrder() {
        assertEquals(List.of("mara", "marathon", "team"), uuids(ChatFilter.rank(chats, Map.of(), "ma")),
                "'ma' starts two names; Platform team has m…a in order only");
        assertEquals(List.of("team", "marathon", "mara", "forum"), uuids(ChatFilter.rank(chats, Map.of(), "T")),
                "a word starting with t (team, training) before a t inside one (Lindqvist, community)");
        assertEquals(List.of("mara"), uuids(ChatFilter.rank(chats, Map.of(), "lindq")), "a DM by its partner's surname");
        assertEquals(List.of("hikes"), uuids(ChatFilter.rank(chats, Map.of(), "wkh")));
        assertEquals(List.of("team"), uuids(ChatFilter.rank(chats, Map.of(), "@ptm")), "a handle, with or without @");
        assertEquals(List.of("team"), uuids(ChatFilter.rank(chats, Map.of(), "ptm")));
        assertTrue(ChatFilter.rank(chats, Map.of(), "zzz").isEmpty());
    }

    @Test
    void unreadChatsComeFirstAmongEqualMatchesAndForAnEmptyQuery() {
        List<ChatSummary> two = List.of(chat("a", "GROUP", "Kitchen", null, 0), chat("b", "GROUP", "Kids", null, 2));
        assertEquals(List.of("b", "a"), uuids(ChatFilter.rank(two, Map.of(), "ki")));
        assertEquals(List.of("a"), uuids(ChatFilter.rank(two, Map.of(), "kit")));
        assertEquals(List.of("hikes", "team", "mara", "marathon", "forum"), uuids(ChatFilter.rank(chats, Map.of(), "")),
                "everything, unread first, then the list's order");
    }

    @Test
    void aForumsSubsAreFoundByTheirNameAndBelowTheForumByItsOwn() {
        Map<String, List<ChatFilter.ForumSub>> subs = Map.of("forum",
                List.of(new ChatFilter.ForumSub(0, "general", 0), new ChatFilter.ForumSub(3, "release notes", 1)));
        List<ChatFilter.Choice> found = ChatFilter.rank(chats, subs, "release");
        assertEquals(List.of("forum/3"), uuids(found));
        assertEquals("▸ Novyse community / release notes", found.get(0).label());
        assertEquals(List.of("forum", "forum/3", "forum/0"), uuids(ChatFilter.rank(chats, subs, "novyse")),
                "the forum by its name first; its subs (the unread one first) by the forum's name after it");
        assertTrue(uuids(ChatFilter.rank(chats, subs, "")).stream().noneMatch(u -> u.contains("/")),
                "no subs before anything is typed");
    }

    @Test
    void aMatchSaysWhetherItIsTheWholeNameOrOnlyLettersInOrder() {
        Map<String, List<ChatFilter.ForumSub>> subs = Map.of("forum", List.of(new ChatFilter.ForumSub(0, "general", 0),
                new ChatFilter.ForumSub(3, "Tokyo office", 0)));
        ChatFilter.Choice hikes = ChatFilter.rank(chats, subs, "wkh").get(0);
        assertTrue(hikes.loose() && !hikes.exact(), "w…k…h: letters in order only");
        ChatFilter.Choice whole = ChatFilter.rank(chats, subs, "weekend HIKES").get(0);
        assertTrue(whole.exact() && !whole.loose());
        assertTrue(ChatFilter.rank(chats, subs, "novyse").get(0).exact(), "a handle, whole");
        List<ChatFilter.Choice> tokyo = ChatFilter.rank(chats, subs, "Novyse community / Tokyo office");
        assertEquals(List.of("forum/3"), uuids(tokyo), "the switcher's own label of a sub, typed back");
        assertTrue(tokyo.get(0).exact());
        assertTrue(!ChatFilter.rank(chats, subs, "tok").get(0).loose(), "the start of a sub's name");
        List<ChatSummary> withSlash = List.of(chat("sales", "GROUP", "Sales / EMEA", null, 0));
        ChatFilter.Choice sales = ChatFilter.rank(withSlash, Map.of(), "Sales / EMEA").get(0);
        assertTrue(sales.exact() && !sales.loose(), "a title with ' / ' in it, typed whole");
    }
}
