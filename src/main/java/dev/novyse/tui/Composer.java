package dev.novyse.tui;

import com.googlecode.lanterna.input.KeyStroke;
import com.googlecode.lanterna.input.KeyType;

import java.util.ArrayList;
import java.util.List;

/**
 * The message being typed: a list of user-perceived characters ({@link Graphemes}) and a cursor between them, so
 * that an emoji, a flag, a ZWJ family or a CJK character is one step of the cursor and one deletion. A key delivers
 * one UTF-16 unit at a time; each insert joins it with its neighbours again, so half a surrogate pair never stays
 * on its own, and {@link #text()} never hands one out.
 */
final class Composer {
    private final List<String> cells = new ArrayList<>();
    private int cursor;
    /** The columns it was last laid out in, whose rows Up and Down move between (typed lines only until drawn). */
    private int drawnWidth = Integer.MAX_VALUE / 2;
    /** The column Up and Down aim for, kept while the cursor stays where the last of them left it (and the text). */
    private int goalColumn, goalAt = -1, goalSize = -1;

    String text() {
        return Graphemes.withoutLoneSurrogates(String.join("", cells));
    }

    boolean isEmpty() {
        return cells.isEmpty();
    }

    int cursor() {
        return cursor;
    }

    void set(String text) {
        cells.clear();
        cells.addAll(Graphemes.split(text.replace("\r\n", "\n")));
        cursor = cells.size();
    }

    void clear() {
        cells.clear();
        cursor = 0;
    }

    void insert(String s) {
        cursor = Graphemes.insert(cells, cursor, s);
    }

    /** The text from the start to the cursor (for completing the word that ends there). */
    String beforeCursor() {
        return Graphemes.withoutLoneSurrogates(String.join("", cells.subList(0, cursor)));
    }

    /** How many characters the word that ends at the cursor has (0 after a space or at the start). */
    int wordBeforeCursor() {
        int start = cursor;
        while (start > 0 && !cells.get(start - 1).isBlank()) start--;
        return cursor - start;
    }

    /** Replaces the {@code count} characters before the cursor with {@code s}; returns how many characters it made. */
    int replaceBeforeCursor(int count, String s) {
        for (int i = 0; i < count && cursor > 0; i++) cells.remove(--cursor);
        int from = cursor;
        insert(s);
        return cursor - from;
    }

    void newline() {
        cells.add(cursor++, "\n");
    }

    void backspace() {
        if (cursor > 0) cells.remove(--cursor);
    }

    void delete() {
        if (cursor < cells.size()) cells.remove(cursor);
    }

    void left() {
        if (cursor > 0) cursor--;
    }

    void right() {
        if (cursor < cells.size()) cursor++;
    }

    /** To the start of the word before the cursor (C-Left, M-b). */
    void wordLeft() {
        while (cursor > 0 && cells.get(cursor - 1).isBlank()) cursor--;
        while (cursor > 0 && !cells.get(cursor - 1).isBlank()) cursor--;
    }

    /** To the end of the word after the cursor (C-Right, M-f). */
    void wordRight() {
        while (cursor < cells.size() && cells.get(cursor).isBlank()) cursor++;
        while (cursor < cells.size() && !cells.get(cursor).isBlank()) cursor++;
    }

    void home() {
        cursor = lineStart(cursor);
    }

    void end() {
        cursor = lineEnd(cursor);
    }

    /**
     * Up in a draft of several rows (typed lines, or one long line wrapped as it was last drawn): to the row above, at
     * the cursor's column or that row's end. False on the first row, where Up means what it means outside the draft.
     */
    boolean lineUp() {
        return toRow(-1);
    }

    /** Down in a draft of several rows: to the row below (see {@link #lineUp}); false on the last row. */
    boolean lineDown() {
        return toRow(1);
    }

    private boolean toRow(int by) {
        List<Integer> starts = rowStarts(drawnWidth);
        int row = 0;
        while (row + 1 < starts.size() && starts.get(row + 1) <= cursor) row++;
        int target = row + by;
        int column = 0;
        for (int i = starts.get(row); i < cursor; i++) column += TextWidth.columns(cells.get(i));
        if (column >= drawnWidth && (cursor == cells.size() || cells.get(cursor).equals("\n"))) {
            column = 0; // after a full row the cursor is drawn at the start of the next: Up goes to its own row's start
            if (by < 0) target = row;
        } else if (cursor == goalAt && cells.size() == goalSize) {
            column = goalColumn; // still where the last Up or Down left it: the column it came from, past a short row
        }
        if (target < 0 || target >= starts.size()) return false;
        int at = starts.get(target);
        // The row's last place: before its newline, or before the next row's first cell where it wrapped.
        int last = target + 1 < starts.size() ? starts.get(target + 1) - 1 : cells.size();
        for (int used = 0; at < last && used + TextWidth.columns(cells.get(at)) <= column; at++) {
            used += TextWidth.columns(cells.get(at));
        }
        cursor = at;
        goalAt = at;
        goalSize = cells.size();
        goalColumn = column;
        return true;
    }

    /** The first cell of each row the text takes in {@code width} columns: 0, after each newline, and each wrap. */
    private List<Integer> rowStarts(int width) {
        java.util.TreeSet<Integer> starts = new java.util.TreeSet<>(wraps(width));
        starts.add(0);
        for (int i = 0; i < cells.size(); i++) if (cells.get(i).equals("\n")) starts.add(i + 1);
        return new ArrayList<>(starts);
    }

    /** Where the line holding position {@code i} starts: after the newline before it, or 0. */
    private int lineStart(int i) {
        while (i > 0 && !cells.get(i - 1).equals("\n")) i--;
        return i;
    }

    /** Where the line holding position {@code i} ends: at its newline, or the end of the text. */
    private int lineEnd(int i) {
        while (i < cells.size() && !cells.get(i).equals("\n")) i++;
        return i;
    }

    /** Deletes the word before the cursor (Ctrl-W, as in a shell). */
    void deleteWord() {
        while (cursor > 0 && cells.get(cursor - 1).isBlank()) cells.remove(--cursor);
        while (cursor > 0 && !cells.get(cursor - 1).isBlank()) cells.remove(--cursor);
    }

    /** Deletes from the start of the line to the cursor (Ctrl-U). */
    void deleteToStart() {
        while (cursor > 0 && !cells.get(cursor - 1).equals("\n")) cells.remove(--cursor);
    }

    /**
     * The line-editing keys every input line shares (the composer, the search query, the dialogs' answers):
     * characters, Backspace, Delete, the arrows, Home, End, and the shell's Ctrl-A, Ctrl-E, Ctrl-W, Ctrl-U.
     * True when the text changed.
     */
    boolean edit(KeyStroke k) {
        KeyType t = k.getKeyType();
        if (t == KeyType.Character && k.isCtrlDown()) {
            switch (Character.toLowerCase(k.getCharacter())) {
                case 'a' -> home();
                case 'e' -> end();
                case 'w' -> {
                    deleteWord();
                    return true;
                }
                case 'u' -> {
                    deleteToStart();
                    return true;
                }
                default -> {
                }
            }
            return false;
        }
        switch (t) {
            case Character -> {
                if (k.isAltDown()) {
                    char c = Character.toLowerCase(k.getCharacter());
                    if (c == 'b') wordLeft();
                    else if (c == 'f') wordRight();
                    return false;
                }
                insert(String.valueOf(k.getCharacter()));
                return true;
            }
            case Backspace -> {
                backspace();
                return true;
            }
            case Delete -> {
                delete();
                return true;
            }
            case ArrowLeft -> {
                if (k.isCtrlDown() || k.isAltDown()) wordLeft();
                else left();
            }
            case ArrowRight -> {
                if (k.isCtrlDown() || k.isAltDown()) wordRight();
                else right();
            }
            case Home -> home();
            case End -> end();
            default -> {
            }
        }
        return false;
    }

    /**
     * The text laid out in {@code cols} columns: the visual lines, and the cursor's row and column among them.
     * Lines break at hard newlines and where the next grapheme would not fit.
     */
    Layout layout(int cols) {
        int width = Math.max(2, cols);
        drawnWidth = width;
        java.util.Set<Integer> wraps = wraps(width);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        int used = 0, row = 0, col = 0;
        for (int i = 0; i <= cells.size(); i++) {
            if (wraps.contains(i)) {
                lines.add(line.toString());
                line.setLength(0);
                used = 0;
            }
            if (i == cursor) {
                boolean rowEnds = i == cells.size() || cells.get(i).equals("\n");
                if (used >= width && rowEnds) { // the cursor sits after a full line: show it at the start of the next
                    lines.add(line.toString());
                    line.setLength(0);
                    used = 0;
                }
                row = lines.size();
                col = Math.min(used, width - 1); // on a space left past the edge: at the edge, on its row
            }
            if (i == cells.size()) break;
            String c = cells.get(i);
            if (c.equals("\n")) {
                lines.add(line.toString());
                line.setLength(0);
                used = 0;
                continue;
            }
            line.append(c);
            used += TextWidth.columns(c); // as the canvas draws it
        }
        lines.add(line.toString());
        return new Layout(lines, row, col);
    }

    /**
     * Where a line of {@code width} columns wraps: the indexes of the cells that begin a row. A word that would not fit
     * goes down whole to the next row (a word is not cut in two as it is typed), and is cut only when it alone is
     * wider than a row; the spaces before it stay at the end of the row above, past its edge if need be.
     */
    private java.util.Set<Integer> wraps(int width) {
        java.util.Set<Integer> wraps = new java.util.HashSet<>();
        int used = 0, rowStart = 0, afterSpace = -1, usedAfterSpace = 0;
        for (int i = 0; i < cells.size(); i++) {
            String c = cells.get(i);
            if (c.equals("\n")) {
                used = 0;
                rowStart = i + 1;
                afterSpace = -1;
                continue;
            }
            int w = TextWidth.columns(c);
            boolean space = c.equals(" ");
            if (!space && used + w > width && i > rowStart) {
                if (afterSpace > rowStart) { // the word begun after the row's last space goes down whole
                    wraps.add(afterSpace);
                    used -= usedAfterSpace;
                    rowStart = afterSpace;
                }
                if (used + w > width && i > rowStart) { // a word wider than a row: cut where the row ends
                    wraps.add(i);
                    used = 0;
                    rowStart = i;
                }
                afterSpace = -1;
            }
            used += w;
            if (space) {
                afterSpace = i + 1;
                usedAfterSpace = used;
            }
        }
        return wraps;
    }

    record Layout(List<String> lines, int cursorRow, int cursorCol) {
    }
}
