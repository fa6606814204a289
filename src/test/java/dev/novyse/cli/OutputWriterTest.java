package dev.novyse.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The one writer of records on stdout: JSON Lines as docs/output.md specifies them, text lines, a closed reader. */
class OutputWriterTest {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    OutputWriter writer(OutputFormat format) {
        return new OutputWriter(new PrintStream(bytes, false, StandardCharsets.UTF_8), format);
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record Line(String b, int a, String c) {
    }

    @Test
    void jsonLinesAreOneObjectPerLineInTheRecordsFieldOrder() {
        OutputWriter out = writer(OutputFormat.jsonl);
        out.record(new Line("x", 1, null), () -> "never built in jsonl");
        out.record(new Line("🎉 é", 2, "tab\there"), () -> "never built in jsonl");
        ObjectNode node = Json.mapper().createObjectNode().put("type", "status").putNull("status");
        out.json(node);
        assertEquals("{\"b\":\"x\",\"a\":1,\"c\":null}\n"
                        + "{\"b\":\"🎉 é\",\"a\":2,\"c\":\"tab\\there\"}\n"
                        + "{\"type\":\"status\",\"status\":null}\n",
                bytes.toString(StandardCharsets.UTF_8));
        // Jackson's root-value separator once put a space before every line after the first (issue 16 item 6).
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertTrue(lines.stream().noneMatch(l -> l.startsWith(" ")), lines.toString());
        assertFalse(out.closed());
    }

    @Test
    void chatsJsonLinesNeverStartWithASpace() {
        OutputWriter out = writer(OutputFormat.jsonl);
        for (int i = 0; i < 3; i++) {
            out.json(new ChatsCommand.ChatLine("c" + i, "GROUP", "Team " + i, null, null, i, null, null, null, null, false, null, null));
        }
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size());
        for (String line : lines) {
            assertTrue(line.startsWith("{\"uuid\":"), "no line starts with a space: '" + line + "'");
        }
    }

    @Test
    void textIsTheCommandsLine() {
        OutputWriter out = writer(OutputFormat.text);
        out.record(new Line("x", 1, null), () -> "* GROUP   Team");
        out.text("second");
        assertEquals("* GROUP   Team" + System.lineSeparator() + "second" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    /** A reader that goes away after the first line, as `| head -n 1` does. */
    static final class ClosingPipe extends OutputStream {
        int writesAfterClose;
        boolean closedByReader;

        @Override
        public void write(int b) throws IOException {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (closedByReader) {
                writesAfterClose++;
                throw new IOException("Broken pipe");
            }
            closedByReader = true;
        }
    }

    @Test
    void aClosedReaderEndsTheOutputQuietly() {
        ClosingPipe pipe = new ClosingPipe();
        OutputWriter out = new OutputWriter(new PrintStream(pipe, true, StandardCharsets.UTF_8), OutputFormat.jsonl);
        out.json(new Line("first", 1, null));
        assertFalse(out.closed());
        out.json(new Line("second", 2, null));
        assertTrue(out.closed(), "the failed write is seen at the line after the reader went away");
        out.json(new Line("third", 3, null));
        out.text("fourth");
        assertEquals(1, pipe.writesAfterClose, "nothing is written once the reader is gone");
    }

    /** watch and sync offer their values in their own order and refuse others in picocli's words for an enum. */
    @Test
    void formatValuesAreOfferedAndRefusedPerCommand() {
        assertEquals("Invalid value for option '--format': expected one of [jsonl] (case-sensitive) but was 'text'",
                usageError("watch", "--format", "text"));
        assertEquals("Invalid value for option '--format': expected one of [jsonl, text] (case-sensitive) but was 'xml'",
                usageError("sync", "--format", "xml"));
        assertEquals("Invalid value for option '--format': expected one of [text, jsonl] (case-sensitive) but was 'csv'",
                usageError("chats", "--format", "csv"));
        assertEquals(List.of("jsonl"), listOf(new OutputFormat.JsonlOnly()));
        assertEquals(List.of("jsonl", "text"), listOf(new OutputFormat.JsonlFirst()));
    }

    /** What the one stderr line of a command line that exits 2 before it does anything says is wrong. */
    static String usageError(String... args) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            assertEquals(ExitCodes.USAGE, Main.run(args));
        } finally {
            System.setErr(err);
        }
        String text = captured.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.lines().count(), text);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("novyse: (.*) \\('novyse .*--help' shows the usage\\)")
                .matcher(text.strip());
        assertTrue(m.matches(), text);
        return m.group(1);
    }

    static List<String> listOf(Iterable<String> values) {
        List<String> out = new java.util.ArrayList<>();
        values.forEach(out::add);
        return out;
    }
}
