package dev.novyse.cli;

import picocli.CommandLine;

import java.util.Iterator;
import java.util.List;

/**
 * The two shapes of a command's records on stdout (docs/output.md): {@code text}, lines for people, and
 * {@code jsonl}, one JSON object per line for scripts. {@link OutputWriter} writes either. ({@code export} has formats
 * of its own: its writers live in {@code dev.novyse.export}.)
 */
enum OutputFormat {
    text, jsonl;

    /**
     * The values one command's {@code --format} offers (shell completion) and accepts, in its own order: a wrong
     * value is refused in the words picocli uses for any enum, listing these values, so usage errors read as they
     * always have. For {@code @Option(converter = ..., completionCandidates = ...)}.
     */
    abstract static class Values implements Iterable<String>, CommandLine.ITypeConverter<OutputFormat> {
        private final List<OutputFormat> values;

        Values(OutputFormat... values) {
            this.values = List.of(values);
        }

        @Override
        public Iterator<String> iterator() {
            return values.stream().map(OutputFormat::name).iterator();
        }

        @Override
        public OutputFormat convert(String value) {
            for (OutputFormat f : values) {
                if (f.name().equals(value)) {
                    return f;
                }
            }
            throw new CommandLine.TypeConversionException(
                    "expected one of " + values + " (case-sensitive) but was '" + value + "'");
        }
    }

    /** {@code sync --format}: jsonl first, as it has always been offered (the generated completion is committed). */
    static final class JsonlFirst extends Values {
        JsonlFirst() {
            super(jsonl, text);
        }
    }

    /** {@code watch --format}: watch prints JSON Lines only. */
    static final class JsonlOnly extends Values {
        JsonlOnly() {
            super(jsonl);
        }
    }
}
