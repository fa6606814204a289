package dev.novyse.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * A readable transcript: {@code 2026-11-23 07:28 [Team #12] Alice: hello (edited)}; a forum's sub by its name,
 * {@code [Help/setup #3]}.
 */
final class TextWriter implements ExportFormat.RowWriter {
    private final Writer out;

    TextWriter(OutputStream stream) {
        out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    public void accept(ExportRow r) throws IOException {
        out.write(line(r));
        out.write('\n');
    }

    /** One message as the transcript shows it, without the line's end. */
    static String line(ExportRow r) {
        String at = r.createdAt() == null ? "" : r.createdAt();
        if (at.length() >= 16) {
            at = at.substring(0, 10) + " " + at.substring(11, 16);
        }
        StringBuilder b = new StringBuilder(at).append(" [")
                .append(r.chatTitle() == null ? r.chatUUID() : r.chatTitle())
                .append(r.subID() == 0 ? "" : "/" + (r.subName() == null ? String.valueOf(r.subID()) : r.subName()))
                .append(" #").append(r.id()).append("] ")
                .append(r.senderName() == null ? r.senderUUID() : r.senderName()).append(": ");
        if (r.deleted()) return b.append("(message deleted)").toString();
        // One message per line: embedded newlines are shown, not obeyed.
        b.append(r.content() == null ? "" : r.content().replace("\r", "").replace("\n", "\n    "));
        return r.edited() ? b.append(" (edited)").toString() : b.toString();
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
