package dev.novyse.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.novyse.protocol.Json;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.function.Supplier;

/**
 * The one way a command prints records on stdout (docs/output.md). In {@link OutputFormat#jsonl} a record is one
 * JSON object on one {@code \n}-terminated line: UTF-8 bytes whatever the locale, fields in the record's order (a
 * record class, or an {@code ObjectNode} in insertion order), nothing between lines. In {@link OutputFormat#text} it
 * is the command's line for people, in the terminal's encoding.
 * <p>
 * Every line is flushed as it is written: {@code watch}'s readers see each change at once, and a reader that went
 * away ({@code | head}) shows at the next line. That is how such a command ends, not a failure: {@link #closed()}
 * turns true, later lines are dropped, and the command returns exit 0 with nothing on stderr.
 */
final class OutputWriter {
    private final PrintStream out;
    private final OutputFormat format;
    private boolean closed;

    OutputWriter(PrintStream out, OutputFormat format) {
        this.out = out;
        this.format = format;
    }

    /** To {@code System.out} as it is when the command runs (in-process tests replace it). */
    static OutputWriter stdout(OutputFormat format) {
        return new OutputWriter(System.out, format);
    }

    /** One record: {@code json} as a JSON line in jsonl, else the text line (built only then). */
    void record(Object json, Supplier<String> text) {
        if (format == OutputFormat.jsonl) {
            json(json);
        } else {
            text(text.get());
        }
    }

    /** One JSON object on one line, whatever the format (for commands that print nothing else). */
    void json(Object record) {
        if (closed) return;
        byte[] object;
        try {
            object = Json.mapper().writeValueAsBytes(record);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + record.getClass().getSimpleName() + " as JSON", e);
        }
        // One write per line, newline included: a line never reaches the reader in pieces.
        byte[] line = Arrays.copyOf(object, object.length + 1);
        line[object.length] = '\n';
        out.write(line, 0, line.length);
        endLine();
    }

    /** One line for people, whatever the format. */
    void text(String line) {
        if (closed) return;
        out.println(line);
        endLine();
    }

    /** True once the reader went away: the command may stop producing lines and end with exit 0. */
    boolean closed() {
        return closed;
    }

    private void endLine() {
        // PrintStream never throws: checkError() flushes and tells whether a write failed (EPIPE from `| head`).
        if (out.checkError()) {
            closed = true;
        }
    }
}
