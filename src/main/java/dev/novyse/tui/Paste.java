package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

/**
 * A bracketed paste, delivered as one key with its whole text (newlines included): it lands in the composer
 * verbatim and is never sent by itself, however many lines it has.
 */
final class Paste extends KeyStroke {
    final String text;

    Paste(String text) {
        super(KeyType.Unknown, false, false);
        this.text = text == null ? "" : text;
    }
}
