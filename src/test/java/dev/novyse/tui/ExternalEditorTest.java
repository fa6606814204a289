package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which editor the draft goes to, and the C-x C-e chord that hands it over. */
class ExternalEditorTest {
    @Test
    void visualThenEditorThenViSplitIntoWordsWithoutAShell() {
        assertEquals(List.of("vi"), ExternalEditor.command(Map.of()));
        assertEquals(List.of("vi"), ExternalEditor.command(Map.of("EDITOR", "  ", "VISUAL", "")), "blank counts as unset");
        assertEquals(List.of("nano"), ExternalEditor.command(Map.of("EDITOR", "nano")));
        assertEquals(List.of("code", "--wait"), ExternalEditor.command(Map.of("EDITOR", "nano", "VISUAL", " code  --wait ")));
        assertEquals(List.of("emacs", "-nw", "$HOME/x;", "rm"), ExternalEditor.command(Map.of("EDITOR", "emacs -nw $HOME/x; rm")),
                "words as written: nothing is expanded or run by a shell");
    }

    @Test
    void aChordIsTwoKeysAndAKeyBoundAloneStartsNone() {
        KeyMap defaults = KeyMap.defaults();
        assertEquals(List.of("C-x C-e"), defaults.keysOf(KeyMap.Action.EXTERNAL_EDITOR));
        assertTrue(defaults.startsChord(new KeyStroke('x', true, false)));
        assertFalse(defaults.startsChord(new KeyStroke('e', true, false)));
        assertTrue(defaults.is("C-x C-e", KeyMap.Action.EXTERNAL_EDITOR));
        assertTrue(defaults.is(new KeyStroke('k', true, false), KeyMap.Action.SWITCH_CHAT));

        KeyMap custom = KeyMap.from(Map.of("keys.external-editor", "c-x   e, M-e", "keys.quit", "C-x"));
        assertEquals(List.of("C-x e", "M-e"), custom.keysOf(KeyMap.Action.EXTERNAL_EDITOR));
        assertFalse(custom.startsChord(new KeyStroke('x', true, false)), "C-x quits: it waits for no second key");
        assertTrue(custom.is(new KeyStroke('e', false, true), KeyMap.Action.EXTERNAL_EDITOR));
        assertThrows(IllegalArgumentException.class, () -> KeyMap.from(Map.of("keys.external-editor", "C-x C-e C-f")));
        assertEquals("Space", KeyMap.spec(new KeyStroke(' ', false, false)));
        assertTrue(KeyMap.from(Map.of("keys.react", "Space")).is(new KeyStroke(' ', false, false), KeyMap.Action.REACT));
    }
}
