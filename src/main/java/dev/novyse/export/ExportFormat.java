package dev.novyse.export;

import dev.novyse.store.ExportSink;

import java.io.OutputStream;

/** The formats {@code novyse export} streams. Each writer writes one row at a time, never buffering the export. */
public enum ExportFormat {
    jsonl, csv, text;

    public RowWriter open(OutputStream out) {
        return switch (this) {
            case jsonl -> new JsonLinesWriter(out);
            case csv -> new CsvWriter(out);
            case text -> new TextWriter(out);
        };
    }

    /** A sink that must be closed to flush its buffer. */
    public interface RowWriter extends ExportSink, AutoCloseable {
        @Override
        void close() throws java.io.IOException;
    }
}
