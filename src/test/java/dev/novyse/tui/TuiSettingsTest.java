package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the config file and the environment decide: theme (NO_COLOR, TERM, theme = mono) and key bindings. */
class TuiSettingsTest {

    @Test
    void noColorAnyNonEmptyValueMeansMonochrome() {
        assertEquals("mono", Theme.choose(null, "1", "xterm-256color").name());
        assertEquals("mono", Theme.choose("default", "yes", "xterm-256color").name(), "NO_COLOR beats the config");
        assertEquals("default", Theme.choose(null, "", "xterm-256color").name(), "an empty NO_COLOR is not set (no-color.org)");
        assertFalse(Theme.choose(null, "1", "xterm").colourful());
    }

    @Test
    void theConfigAndTheTerminalChooseTheTheme() {
        assertEquals("mono", Theme.choose("mono", null, "xterm-256color").name());
        assertEquals("mono", Theme.choose("Monochrome", null, "screen-256color").name());
        assertEquals("default", Theme.choose(null, null, "tmux-256color").name());
        assertEquals("default", Theme.choose(null, null, "linux").name());
        assertEquals("mono", Theme.choose(null, null, "vt100").name(), "a terminal that does not promise colour");
        assertEquals("mono", Theme.choose(null, null, "xterm-mono").name(), "terminfo's monochrome xterm");
        assertEquals("mono", Theme.choose(null, null, "screen-mono").name(), "a name that would otherwise mean colour");
        assertEquals("default", Theme.choose(null, null, "xterm-color").name());
    }

    @Test
    void monochromeStillMarksWhatMatters() {
        Theme mono = Theme.mono();
        assertFalse(mono.unread().sgr().isEmpty(), "unread chats stand out without colour");
        assertFalse(mono.mention().sgr().isEmpty(), "mentions stand out without colour");
        assertFalse(mono.focusSelected().sgr().isEmpty(), "the cursor row stands out without colour");
        assertEquals(mono.title(), mono.sender("any-user"), "no per-user colours in monochrome");
    }

    @Test
    void configuredBindingsReplaceTheDefaultsOfThatActionOnly() {
        KeyMap keys = KeyMap.from(Map.of("keys.quit", "C-x, M-q", "keys.search", "C-s"));
        assertEquals(List.of("C-x", "M-q"), keys.keysOf(KeyMap.Action.QUIT));
        assertTrue(keys.is(new KeyStroke('x', true, false), KeyMap.Action.QUIT));
        assertTrue(keys.is(new KeyStroke('q', false, true), KeyMap.Action.QUIT));
        assertFalse(keys.is(new KeyStroke('q', true, false), KeyMap.Action.QUIT), "C-q no longer quits");
        assertTrue(keys.is(new KeyStroke('s', true, false), KeyMap.Action.SEARCH));
        assertTrue(keys.is(new KeyStroke(KeyType.F1), KeyMap.Action.HELP), "other actions keep their defaults");
    }

    @Test
    void anUnknownActionInTheConfigIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KeyMap.from(Map.of("keys.teleport", "C-t")));
        assertTrue(e.getMessage().contains("keys.teleport"), e.getMessage());
    }

    @Test
    void everyActionHasADefaultKeyAndAConfigName() {
        KeyMap keys = KeyMap.defaults();
        for (KeyMap.Action a : KeyMap.Action.values()) {
            assertFalse(keys.keysOf(a).isEmpty(), a + " has no key");
            assertTrue(a.configKey().matches("keys\\.[a-z-]+"), a.configKey());
        }
    }

    @Test
    void aChatsPeopleGetColoursOfTheirOwn() {
        for (String term : List.of("xterm", "xterm-256color")) {
            Theme theme = Theme.choose(null, null, term);
            List<String> people = new java.util.ArrayList<>();
            for (int i = 0; i < 12; i++) people.add(java.util.UUID.nameUUIDFromBytes(("person " + i).getBytes()).toString());
            var styles = theme.senders(people);
            assertEquals(12, new java.util.HashSet<>(styles.values()).size(), "12 people, 12 colours with TERM=" + term);
        }
    }
}
