package dev.novyse.export;

import java.io.OutputStream;

/**
 * The row-by-row formats {@code novyse export} streams, fed by {@link MessageExporter}. Each writer writes one row at
 * a time, never buffering the export. JSON Lines is not among them: {@link JsonlExporter} writes it straight from
 * the store's bytes.
 */
public enum ExportFormat {
    csv, text;

    public RowWriter open(OutputStream out) {
        return switch (this) {
            case csv -> new CsvWriter(out);
            case text -> new TextWriter(out);
        };
    }

    /** One message as {@code text} writes it ({@code 2026-11-23 07:28 [Team #12] Alice: hello}), without the line's end. */
    public static String textLine(ExportRow row) {
        return TextWriter.line(row);
    }

    /** A sink that must be closed to flush its buffer. */
    public interface RowWriter extends ExportSink, AutoCloseable {
        @Override
        void close() throws java.io.IOException;
    }
}
