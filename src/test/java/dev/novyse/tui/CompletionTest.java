package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import dev.novyse.store.MemberView;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tab completion's pure part ({@link Completion}) and its cycling in the composer ({@link ComposerCompletion}). */
class CompletionTest {
    private static final KeyStroke TAB = new KeyStroke(KeyType.Tab);
    private static final KeyStroke BACK_TAB = new KeyStroke(KeyType.ReverseTab);

    @Test
    void theWordBeforeTheCursorIsCompletableOnlyAfterItsSign() {
        assertEquals(new Completion.Word(Completion.Kind.MEMBER, "ke", "@ke"), Completion.word("hi @ke"));
        assertEquals(new Completion.Word(Completion.Kind.MEMBER, "", "@"), Completion.word("@"));
        assertEquals(new Completion.Word(Completion.Kind.COMMAND, "se", "/se"), Completion.word("/se"));
        assertEquals(new Completion.Word(Completion.Kind.EMOJI, "tad", ":tad"), Completion.word("yay :tad"));
        assertEquals(new Completion.Word(Completion.Kind.EMOJI, "+", ":+"), Completion.word(":+"));
        assertNull(Completion.word(""), "an empty draft");
        assertNull(Completion.word("hello "), "after a space");
        assertNull(Completion.word("hello"), "a plain word");
        assertNull(Completion.word("see /se"), "a command only as the draft's first word");
        assertNull(Completion.word("//se"), "// sends a message starting with /");
        assertNull(Completion.word("ok :"), "a colon alone");
        assertNull(Completion.word("http://x"), "a word that does not start with a sign");
        assertNull(Completion.word("@ke!"), "not a handle");
    }

    @Test
    void membersMatchByHandleThenByNameAndNeverTheAccountItself() {
        List<MemberView> members = List.of(
                member("u1", "Kevin Bacon", "kev"),
                member("u2", "Anna Keller", "anna"),
                member("u3", "Keira", "keira"),
                member("me", "Kemal Me", "kemal"),
                member("u4", "Kenneth", null));
        assertEquals(List.of("@keira ", "@kev ", "@anna "),
                Completion.members("KE", members, "me").stream().map(Completion.Candidate::insert).toList());
        assertEquals(List.of("@kev "), Completion.members("bac", members, "me").stream().map(Completion.Candidate::insert).toList());
        assertTrue(Completion.members("zz", members, "me").isEmpty());
        assertEquals(3, Completion.members("", members, "me").size(), "@ alone: everyone with a handle but me");
    }

    @Test
    void commandsAndEmojiComeFromTheirTables() {
        assertEquals(List.of("/search "), Completion.commands("se", SlashCommands.NAMES).stream().map(Completion.Candidate::insert).toList());
        assertEquals(SlashCommands.NAMES.size(), Completion.commands("", SlashCommands.NAMES).size());
        assertEquals("🎉", Completion.emoji("tad").get(0).insert());
        assertEquals("👍", Completion.emoji("+1").get(0).insert());
        assertEquals("👍", Completion.emoji("thumbsup").get(0).insert());
        List<String> smiles = Completion.emoji("smile").stream().map(Completion.Candidate::label).toList();
        assertEquals(":smile: 😄", smiles.get(0), "the exact shortcode first: " + smiles);
        assertTrue(Completion.emoji("nosuchthing").isEmpty());
    }

    @Test
    void tabCyclesShiftTabGoesBackAndAnotherKeyKeepsTheChoice() {
        UiModel m = new UiModel();
        ComposerCompletion c = new ComposerCompletion(m, KeyMap.defaults(), null);
        m.composer.set("/se");
        assertTrue(c.key(TAB));
        assertEquals("/search ", m.composer.text(), "the only command starting with se");
        assertFalse(c.key(TAB), "nothing left to complete: Tab moves the focus");

        m.composer.set("/q");
        assertTrue(c.key(TAB));
        assertEquals("/quit ", m.composer.text());
        m.composer.set("/");
        String first = "/" + SlashCommands.NAMES.get(0) + " ";
        assertTrue(c.key(TAB));
        assertEquals(first, m.composer.text(), "the commands in their (sorted) order");
        assertTrue(c.key(TAB));
        assertEquals("/" + SlashCommands.NAMES.get(1) + " ", m.composer.text());
        assertTrue(c.key(BACK_TAB));
        assertEquals(first, m.composer.text());
        assertTrue(c.key(BACK_TAB));
        String last = "/" + SlashCommands.NAMES.get(SlashCommands.NAMES.size() - 1);
        assertEquals(last + " ", m.composer.text(), "back from the first is the last");
        assertTrue(m.flash.contains("[" + last + "]"), m.flash);
        assertFalse(c.key(new KeyStroke('x', false, false)), "another key is the composer's");
        assertFalse(c.key(TAB), "and ends the completion");
    }

    @Test
    void anEmojiReplacesItsShortcodeInTheMiddleOfTheText() {
        UiModel m = new UiModel();
        ComposerCompletion c = new ComposerCompletion(m, KeyMap.defaults(), null);
        m.composer.set("we did it :tad and more");
        for (int i = 0; i < " and more".length(); i++) m.composer.left();
        assertTrue(c.key(TAB));
        assertEquals("we did it 🎉 and more", m.composer.text());
        m.composer.set("");
        assertFalse(c.key(TAB), "an empty draft: Tab moves the focus");
        m.composer.set(":nosuchthing");
        assertTrue(c.key(TAB), "a shortcode that matches nothing is said so, not left for the focus");
        assertEquals(":nosuchthing", m.composer.text());
        assertTrue(m.flash.contains("nothing to complete"), m.flash);
    }

    private static MemberView member(String uuid, String name, String handle) {
        return new MemberView(uuid, name, handle, List.of(), null);
    }
}
