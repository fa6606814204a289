package dev.novyse.tui;

import com.googlecode.lanterna.TextCharacter;
import com.googlecode.lanterna.TextColor;
import com.googlecode.lanterna.graphics.BasicTextImage;
import com.googlecode.lanterna.graphics.TextGraphics;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The canvas hands Lanterna only changed rows, yet the screen ends up as if every cell had been drawn in order. */
class CanvasTest {
    private static final List<String> TEXTS = List.of("hello", "│", "─────", "你好世界", "a🎉b", "👍 2", "x", "… more",
            "日本語 practice", "tab\there", "e\u0301te", "");
    private static final List<Theme.Style> STYLES = List.of(Theme.Style.of(TextColor.ANSI.DEFAULT, TextColor.ANSI.DEFAULT),
            Theme.Style.of(TextColor.ANSI.CYAN, TextColor.ANSI.DEFAULT, com.googlecode.lanterna.SGR.BOLD),
            Theme.Style.of(TextColor.ANSI.WHITE, TextColor.ANSI.BLUE));

    @Test
    void flushedFramesMatchDrawingEveryCellInOrder() {
        int cols = 23, rows = 6;
        Random random = new Random(7);
        Canvas canvas = new Canvas(cols, rows);
        BasicTextImage viaCanvas = new BasicTextImage(cols, rows);
        BasicTextImage direct = new BasicTextImage(cols, rows);
        for (int frame = 0; frame < 300; frame++) {
            TextGraphics g = direct.newTextGraphics();
            for (int r = 0; r < rows; r++) {
                Theme.Style s = STYLES.get(random.nextInt(frame % 3 == 0 ? STYLES.size() : 1));
                canvas.fill(0, r, cols, s);
                fill(g, 0, r, cols, cols, s);
            }
            int ops = random.nextInt(12);
            for (int i = 0; i < ops; i++) {
                String text = TEXTS.get(random.nextInt(TEXTS.size()));
                Theme.Style s = STYLES.get(random.nextInt(STYLES.size()));
                int col = random.nextInt(cols + 2) - 1, row = random.nextInt(rows), end = random.nextInt(cols + 3);
                if (random.nextInt(5) == 0) {
                    canvas.fill(col, row, end, s);
                    fill(g, col, row, end, cols, s);
                } else {
                    assertEquals(put(g, col, row, text, s, end, cols), canvas.put(col, row, text, s, end), text);
                }
            }
            canvas.flush(viaCanvas.newTextGraphics());
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < cols; c++) {
                    assertEquals(direct.getCharacterAt(c, r), viaCanvas.getCharacterAt(c, r),
                            "frame " + frame + ", cell " + c + "," + r);
                }
            }
        }
    }

    // The canvas before it buffered frames: every cell straight into Lanterna.

    private static void fill(TextGraphics g, int col, int row, int end, int cols, Theme.Style style) {
        TextCharacter blank = TextCharacter.fromCharacter(' ', style.fg(), style.bg(),
                style.sgr().toArray(new com.googlecode.lanterna.SGR[0]))[0];
        for (int c = Math.max(0, col); c < Math.min(end, cols); c++) g.setCharacter(c, row, blank);
    }

    private static int put(TextGraphics g, int col, int row, String text, Theme.Style style, int end, int cols) {
        int limit = Math.min(end, cols);
        int c = col;
        List<String> cells = TextWidth.isSimple(text) ? null : TextWidth.cells(text);
        int n = cells == null ? text.length() : cells.size();
        for (int i = 0; i < n; i++) {
            String s = cells == null ? String.valueOf(text.charAt(i)) : TextWidth.display(cells.get(i));
            if (s.isEmpty()) continue;
            if (s.equals("\n") || s.equals("\t") || s.equals("\r")) s = " ";
            else if (Character.isISOControl(s.charAt(0))) s = "?";
            int w = cells == null ? 1 : TextWidth.width(s);
            if (c + w > limit) break;
            if (c >= 0) g.setCharacter(c, row, TextCharacter.fromString(s, style.fg(), style.bg(), style.sgr())[0]);
            c += w;
        }
        return c;
    }
}
