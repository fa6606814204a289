package dev.novyse.export;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.MinimalPrettyPrinter;
import dev.novyse.protocol.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * The reference JSON Lines writer: one JSON object per message and line, written by Jackson with the project's
 * settings from the generic exporter's rows. {@link JsonlExporter} must write these bytes exactly; the tests compare
 * the two. Field names are a stable contract (docs/output.md):
 * chat, chatName, sub, id, sender, senderName, createdAt, content, edited, deleted, replyTo, reactions, files.
 */
final class JsonLinesWriter implements ExportFormat.RowWriter {
    private final JsonGenerator gen;
    private boolean any;

    JsonLinesWriter(OutputStream out) {
        try {
            gen = Json.mapper().getFactory().createGenerator(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        gen.setPrettyPrinter(new MinimalPrettyPrinter("\n"));
    }

    @Override
    public void accept(ExportRow r) throws IOException {
        any = true;
        gen.writeStartObject();
        gen.writeStringField("chat", r.chatUUID());
        gen.writeStringField("chatName", r.chatName());
        gen.writeNumberField("sub", r.subID());
        gen.writeNumberField("id", r.id());
        gen.writeStringField("sender", r.senderUUID());
        gen.writeStringField("senderName", r.senderName());
        gen.writeStringField("createdAt", r.createdAt());
        gen.writeStringField("content", r.content());
        gen.writeBooleanField("edited", r.edited());
        gen.writeBooleanField("deleted", r.deleted());
        if (r.replyToMessageID() == null) {
            gen.writeNullField("replyTo");
        } else {
            gen.writeObjectFieldStart("replyTo");
            gen.writeStringField("chat", r.replyToChatUUID());
            gen.writeNumberField("sub", r.replyToSubID() == null ? 0 : r.replyToSubID());
            gen.writeNumberField("id", r.replyToMessageID());
            gen.writeEndObject();
        }
        gen.writeFieldName("reactions");
        gen.writeRawValue(r.reactionsJson() == null ? "[]" : r.reactionsJson());
        gen.writeFieldName("files");
        gen.writeRawValue(r.fileNamesJson() == null ? "[]" : r.fileNamesJson());
        gen.writeEndObject();
    }

    @Override
    public void close() throws IOException {
        if (any) gen.writeRaw('\n'); // nothing at all for no rows: not an empty line, which is no JSON
        gen.flush();
    }
}
