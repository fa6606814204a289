package dev.novyse.export.archive;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreException;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Collectors;

/**
 * Writes an archive (the header, then every row of every {@link ArchiveSchema#KINDS kind} in primary-key order,
 * then the end record) from one read transaction, so it is one consistent snapshot. Streams: one row in memory.
 * Two layouts of the same records: JSON Lines (one per line) or one JSON document whose {@code records} array
 * holds them, one per line.
 */
public final class ArchiveExporter {
    private ArchiveExporter() {}

    /**
     * Writes the whole store (or, when the header's scope is a chat, that chat) as an archive to {@code out} from
     * one read snapshot; {@code document} picks the one-JSON-document layout over JSON Lines. Returns the number of
     * records. Flushes {@code out}.
     */
    public static long export(LocalDatabase db, ArchiveHeader header, boolean document, OutputStream out)
            throws IOException {
        return db.readSnapshots(s -> s.read(conn -> export(conn, header, document, out)));
    }

    private static long export(Connection conn, ArchiveHeader header, boolean document, OutputStream out)
            throws IOException {
        JsonGenerator gen = Json.mapper().getFactory().createGenerator(out);
        // Records are written as root-level values with no separator of Jackson's: the framing (newlines, and the
        // document's commas and brackets) is written raw here, so each record is exactly one line in both layouts.
        gen.setRootValueSeparator(null);
        String head = Json.mapper().writeValueAsString(header);
        if (document) {
            gen.writeRaw(head.substring(0, head.length() - 1) + ",\"records\":[");
        } else {
            gen.writeRaw(head);
        }
        String chat = header.wholeAccount() ? null : header.chat();
        long n = 0;
        try {
            for (ArchiveSchema.Kind kind : ArchiveSchema.KINDS) {
                if (chat != null && kind.chatFilter() == null) continue;
                n += writeKind(conn, kind, chat, gen, document, n);
            }
        } catch (SQLException e) {
            throw new StoreException("export failed: " + StoreException.oneLine(e), e);
        }
        newline(gen, document, n);
        gen.writeStartObject();
        gen.writeStringField("kind", ArchiveSchema.END_KIND);
        gen.writeNumberField("records", n);
        gen.writeEndObject();
        gen.writeRaw(document ? "\n]}\n" : "\n");
        gen.flush();
        return n;
    }

    /** Records are one per line in both layouts; the document layout separates them with commas too. */
    private static void newline(JsonGenerator gen, boolean document, long written) throws IOException {
        gen.writeRaw(document && written > 0 ? ",\n" : "\n");
    }

    private static long writeKind(Connection conn, ArchiveSchema.Kind kind, String chat, JsonGenerator gen,
                                  boolean document, long before) throws SQLException, IOException {
        String columns = kind.fields().stream().map(ArchiveSchema.Field::column).collect(Collectors.joining(", "));
        String sql = "SELECT " + columns + " FROM " + kind.table()
                + (chat == null ? "" : " WHERE " + kind.chatFilter()) + " ORDER BY " + kind.orderBy();
        long n = 0;
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            if (chat != null) {
                int params = (int) kind.chatFilter().chars().filter(c -> c == '?').count();
                for (int i = 1; i <= params; i++) ps.setString(i, chat);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    newline(gen, document, before + n);
                    gen.writeStartObject();
                    gen.writeStringField("kind", kind.name());
                    int col = 1;
                    for (ArchiveSchema.Field f : kind.fields()) {
                        gen.writeFieldName(f.name());
                        writeValue(gen, kind, f, rs, col++);
                    }
                    gen.writeEndObject();
                    n++;
                }
            }
        }
        return n;
    }

    private static void writeValue(JsonGenerator gen, ArchiveSchema.Kind kind, ArchiveSchema.Field f, ResultSet rs,
                                   int col) throws SQLException, IOException {
        Object v = rs.getObject(col);
        if (v == null) {
            gen.writeNull();
            return;
        }
        switch (f.type()) {
            case BOOL -> gen.writeBoolean(rs.getLong(col) != 0);
            // Parsed and re-written rather than copied raw: the archive never carries a broken JSON value.
            case JSON -> gen.writeTree(json(kind, f, rs.getString(col)));
            default -> {
                // The value's own storage class: what import binds back, so a second export gives the same bytes.
                if (v instanceof Integer || v instanceof Long) gen.writeNumber(((Number) v).longValue());
                else if (v instanceof Number num) gen.writeNumber(num.doubleValue());
                else gen.writeString(rs.getString(col));
            }
        }
    }

    private static JsonNode json(ArchiveSchema.Kind kind, ArchiveSchema.Field f, String text) throws IOException {
        try {
            return Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new IOException("a " + kind.name() + "'s " + f.name() + " in the store is not JSON: "
                    + abbreviated(text));
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }
}
