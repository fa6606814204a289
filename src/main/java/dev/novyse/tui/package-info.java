/**
 * The full-screen chat (Lanterna): the app loop ({@link dev.novyse.tui.TuiApp}), the controller split by job
 * (navigation, composer keys and Tab completion, message actions, dialogs, slash commands, search, file transfers), the renderer and
 * canvas, and the terminal layer (UTF-8 output, input as terminals send it: bracketed paste, CR vs LF, Alt+Enter,
 * grapheme editing, C-z). Reads through the state layer; never uses {@code store.LocalDatabase}.
 */
package dev.novyse.tui;
