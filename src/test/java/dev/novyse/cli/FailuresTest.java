package dev.novyse.cli;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failure or a warning is one line a terminal shows as written, whatever text it quotes. */
class FailuresTest {
    @Test
    void lineBreaksBecomeSpacesAndEscapesCannotReachTheTerminal() {
        assertEquals("not sent: two lines ?[31mred?[0m ü 👍", Failures.oneLine("not sent: two\nlines \u001b[31mred\u001b[0m ü 👍"));
        StringWriter err = new StringWriter();
        int code = Failures.report(new CliException(ExitCodes.USAGE, "no chat 'a\r\nb\u0007'"), new PrintWriter(err), false);
        assertEquals(ExitCodes.USAGE, code);
        assertEquals("novyse: no chat 'a  b?'" + System.lineSeparator(), err.toString());
    }
}
