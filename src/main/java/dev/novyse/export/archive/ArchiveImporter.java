package dev.novyse.export.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.novyse.protocol.Json;
import dev.novyse.store.LocalDatabase;
import dev.novyse.store.StoreException;
import dev.novyse.store.Tx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes an archive's records into the store inside one write transaction: each record becomes the row it was
 * exported from. Records of groups not asked for are still checked (a damaged file is refused whatever the
 * selection) but not written. Any bad record throws, and the transaction rolls everything back.
 */
public final class ArchiveImporter {
    private ArchiveImporter() {}

    /**
     * Imports the rest of {@code reader}'s archive into {@code db} in ONE transaction: either every selected record
     * is stored or, on the first bad one, nothing is. Returns the records stored per kind.
     */
    public static Map<String, Long> importInto(LocalDatabase db, ArchiveReader reader,
                                               Set<ArchiveSchema.Group> groups) {
        return db.inTransaction(tx -> run(tx, reader, groups));
    }

    private static Map<String, Long> run(Tx tx, ArchiveReader reader, Set<ArchiveSchema.Group> groups) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (ArchiveReader.Entry e = reader.next(); e != null; e = reader.next()) {
            ArchiveSchema.Kind kind = kindOf(e);
            List<String> columns = new ArrayList<>();
            List<Object> values = new ArrayList<>();
            for (Map.Entry<String, JsonNode> f : e.node().properties()) {
                if (f.getKey().equals("kind")) continue;
                ArchiveSchema.Field field = kind.field(f.getKey());
                if (field == null) {
                    throw bad(e, "unknown field \"" + f.getKey() + "\" in a " + kind.name() + " record");
                }
                columns.add(field.column());
                values.add(value(e, kind, field, f.getValue()));
            }
            if (!groups.contains(kind.group())) continue;
            if (kind.name().equals("chat") && e.node().path("type").isTextual()) {
                // A chat type a newer server introduced is recorded, as sync does, rather than failing the FK.
                tx.update("INSERT OR IGNORE INTO chat_type(value) VALUES (?)", e.node().get("type").asText());
            }
            String sql = "INSERT INTO " + kind.table() + "(" + String.join(", ", columns) + ") VALUES ("
                    + "?, ".repeat(Math.max(0, columns.size() - 1)) + (columns.isEmpty() ? "" : "?") + ")";
            try {
                tx.update(sql, values.toArray());
            } catch (StoreException x) {
                // Tx's message names the constraint (a duplicate key, a message of a chat not in the file).
                String why = StoreException.oneLine(x).replace("local database write failed: ", "");
                throw bad(e, "a " + kind.name() + " record the store refuses: " + why);
            }
            counts.merge(kind.name(), 1L, Long::sum);
        }
        return counts;
    }

    private static ArchiveSchema.Kind kindOf(ArchiveReader.Entry e) {
        JsonNode k = e.node().get("kind");
        if (k == null || !k.isTextual()) throw bad(e, "a record without a \"kind\"");
        ArchiveSchema.Kind kind = ArchiveSchema.kind(k.asText());
        if (kind == null) throw bad(e, "unknown record kind \"" + k.asText() + "\"");
        return kind;
    }

    private static Object value(ArchiveReader.Entry e, ArchiveSchema.Kind kind, ArchiveSchema.Field f, JsonNode v) {
        if (v.isNull()) return null;
        boolean ok = switch (f.type()) {
            case TEXT -> v.isTextual();
            case INT -> v.isIntegralNumber() && v.canConvertToLong();
            case REAL -> v.isNumber();
            case BOOL -> v.isBoolean();
            case JSON -> true;
            case ANY -> v.isTextual() || v.isNumber();
        };
        if (!ok) {
            throw bad(e, "field \"" + f.name() + "\" of a " + kind.name() + " record has the wrong type ("
                    + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        if (f.type() == ArchiveSchema.Type.BOOL) return v.asBoolean() ? 1 : 0;
        if (f.type() == ArchiveSchema.Type.JSON) {
            // Compact, through the project's mapper: the same text StoreWriter stores for such columns.
            try {
                return Json.mapper().writeValueAsString(v);
            } catch (com.fasterxml.jackson.core.JsonProcessingException x) {
                throw bad(e, "field \"" + f.name() + "\" cannot be stored: " + x.getOriginalMessage());
            }
        }
        if (v.isTextual()) return v.asText();
        if (v.isIntegralNumber()) return v.asLong();
        return v.asDouble();
    }

    private static ArchiveException bad(ArchiveReader.Entry e, String what) {
        return new ArchiveException("line " + e.line() + ": " + what);
    }
}
