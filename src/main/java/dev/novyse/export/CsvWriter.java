package dev.novyse.export;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/** RFC 4180 CSV with a header row; reactions and files stay JSON inside their cells. */
final class CsvWriter implements ExportFormat.RowWriter {
    static final String HEADER = "chat,chatName,sub,id,sender,senderName,createdAt,content,edited,deleted,"
            + "replyToChat,replyToSub,replyToId,reactions,files";
    private final Writer out;

    CsvWriter(OutputStream stream) {
        out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
        try {
            out.write(HEADER);
            out.write("\r\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void accept(ExportRow r) throws IOException {
        cell(r.chatUUID()).cell(r.chatName()).cell(String.valueOf(r.subID())).cell(String.valueOf(r.id()))
                .cell(r.senderUUID()).cell(r.senderName()).cell(r.createdAt()).cell(r.content())
                .cell(String.valueOf(r.edited())).cell(String.valueOf(r.deleted())).cell(r.replyToChatUUID())
                .cell(r.replyToSubID() == null ? null : r.replyToSubID().toString())
                .cell(r.replyToMessageID() == null ? null : r.replyToMessageID().toString())
                // An empty array, never an empty cell: the cell is JSON text a reader parses, as in JSON Lines.
                .cell(r.reactionsJson() == null ? "[]" : r.reactionsJson())
                .last(r.fileNamesJson() == null ? "[]" : r.fileNamesJson());
    }

    private CsvWriter cell(String v) throws IOException {
        write(v);
        out.write(',');
        return this;
    }

    private void last(String v) throws IOException {
        write(v);
        out.write("\r\n");
    }

    private void write(String v) throws IOException {
        if (v == null) {
            return;
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0;
        if (!quote) {
            out.write(v);
            return;
        }
        out.write('"');
        out.write(v.replace("\"", "\"\""));
        out.write('"');
    }

    @Override
    public void close() throws IOException {
        out.flush();
    }
}
