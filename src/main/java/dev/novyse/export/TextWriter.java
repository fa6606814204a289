package dev.novyse.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** A readable transcript: {@code 2026-11-23 07:28 [Team #12] Alice: hello (edited)}. */
final class TextWriter implements ExportFormat.RowWriter {
    private final Writer out;

    TextWriter(OutputStream stream) {
        out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void accept(ExportRow r) throws IOException {
        String at = r.createdAt() == null ? "" : r.createdAt();
        if (at.length() >= 16) {
            at = at.substring(0, 10) + " " + at.substring(11, 16);
        }
        out.write(at);
        out.write(" [");
        out.write(r.chatTitle() == null ? r.chatUUID() : r.chatTitle());
        out.write(r.subID() == 0 ? "" : "/" + r.subID());
        out.write(" #");
        out.write(Long.toString(r.id()));
        out.write("] ");
        out.write(r.senderName() == null ? r.senderUUID() : r.senderName());
        out.write(": ");
        if (r.deleted()) {
            out.write("(message deleted)");
        } else {
            // One message per line: embedded newlines are shown, not obeyed.
            out.write(r.content() == null ? "" : r.content().replace("\r", "").replace("\n", "\n    "));
            if (r.edited()) {
                out.write(" (edited)");
            }
        }
        out.write('\n');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
