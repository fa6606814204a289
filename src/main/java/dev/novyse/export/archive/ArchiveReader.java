package dev.novyse.export.archive;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;
import dev.novyse.store.StoreException;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads an archive in either layout (JSON Lines, or the one-document form with a {@code records} array): the header
 * first, checked before anything else is read, then one record at a time. Every problem is an
 * {@link ArchiveException} naming the line: a file that is not an archive, a newer version, a garbage line, a cut
 * (a missing end record, or one whose count disagrees with the records read).
 */
public final class ArchiveReader implements AutoCloseable {
    /** A record and the line it started on. */
    record Entry(ObjectNode node, int line) {
    }

    private final JsonParser parser;
    private final ArchiveHeader header;
    private final boolean document;
    private long count;
    private boolean ended;

    private ArchiveReader(JsonParser parser, ArchiveHeader header, boolean document) {
        this.parser = parser;
        this.header = header;
        this.document = document;
    }

    /** Reads and checks the header. */
    public static ArchiveReader open(InputStream in) {
        JsonParser p;
        try {
            p = Json.mapper().getFactory().createParser(in);
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new ArchiveException(line(p) + "not a novyse export (it does not start with a JSON object)");
            }
            ObjectNode head = Json.mapper().createObjectNode();
            boolean document = false;
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if ("records".equals(name) && value == JsonToken.START_ARRAY) {
                    document = true;
                    break;
                }
                head.set(name, p.readValueAsTree());
            }
            return new ArchiveReader(p, checkHeader(head), document);
        } catch (JsonEOFException e) {
            throw new ArchiveException("the file ends inside the header: it is empty or cut short");
        } catch (JsonProcessingException e) {
            throw new ArchiveException("not a novyse export: " + where(e) + brief(e));
        } catch (IOException e) {
            throw new ArchiveException("cannot read: " + StoreException.oneLine(e));
        }
    }

    private static ArchiveHeader checkHeader(ObjectNode head) {
        if (!ArchiveSchema.HEADER_KIND.equals(head.path("kind").asText(null))) {
            throw new ArchiveException("not a novyse export (the first record is not a \"" + ArchiveSchema.HEADER_KIND
                    + "\" header)");
        }
        JsonNode version = head.get("version");
        if (version == null || !version.isIntegralNumber()) {
            throw new ArchiveException("the header has no version number");
        }
        if (version.asInt() != ArchiveSchema.VERSION) {
            throw new ArchiveException("export format version " + version.asText() + " is not supported (this novyse"
                    + " reads version " + ArchiveSchema.VERSION + (version.asInt() > ArchiveSchema.VERSION
                    ? "; a newer novyse wrote it)" : ")"));
        }
        ArchiveHeader h;
        try {
            h = Json.mapper().treeToValue(head, ArchiveHeader.class);
        } catch (JsonProcessingException e) {
            throw new ArchiveException("the header is malformed: " + brief(e));
        }
        if (h.account() == null || h.server() == null || h.user() == null
                || !(h.wholeAccount() || (ArchiveHeader.SCOPE_CHAT.equals(h.scope()) && h.chat() != null))) {
            throw new ArchiveException("the header lacks account, user, server or a valid scope");
        }
        return h;
    }

    public ArchiveHeader header() {
        return header;
    }

    /** The next record, or null after the end record (which must be followed by nothing). */
    Entry next() {
        if (ended) return null;
        try {
            JsonToken t = parser.nextToken();
            if (document && t == JsonToken.END_ARRAY) {
                throw new ArchiveException(line(parser) + "the records end without an end record");
            }
            if (t == null) {
                throw new ArchiveException("the file is cut short: no end record after " + count + " records");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new ArchiveException(line(parser) + "expected a record (a JSON object), found " + t.asString());
            }
            int line = parser.currentTokenLocation().getLineNr();
            ObjectNode node = parser.readValueAsTree();
            if (ArchiveSchema.END_KIND.equals(node.path("kind").asText(null))) {
                JsonNode n = node.get("records");
                if (n == null || !n.canConvertToLong() || n.asLong() != count) {
                    throw new ArchiveException("line " + line + ": the end record counts " + n + " records, but "
                            + count + " were read (records are missing)");
                }
                ended = true;
                finish();
                return null;
            }
            count++;
            return new Entry(node, line);
        } catch (JsonEOFException e) {
            throw new ArchiveException(where(e) + "the file ends inside a record: it is cut short");
        } catch (JsonProcessingException e) {
            throw new ArchiveException(where(e) + "not JSON: " + brief(e));
        } catch (IOException e) {
            throw new ArchiveException("cannot read: " + StoreException.oneLine(e));
        }
    }

    /** After the end record: only the document's closing brackets, then nothing. */
    private void finish() throws IOException {
        if (document) {
            if (parser.nextToken() != JsonToken.END_ARRAY || parser.nextToken() != JsonToken.END_OBJECT) {
                throw new ArchiveException(line(parser) + "unexpected data after the end record");
            }
        }
        if (parser.nextToken() != null) {
            throw new ArchiveException(line(parser) + "unexpected data after the end record");
        }
    }

    @Override
    public void close() {
        try {
            parser.close();
        } catch (IOException ignored) {
            // reading is over; nothing to lose
        }
    }

    private static String line(JsonParser p) {
        return "line " + p.currentTokenLocation().getLineNr() + ": ";
    }

    private static String where(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        return loc == null ? "" : "line " + loc.getLineNr() + ": ";
    }

    /** Jackson's message without its location and source excerpt (those follow a newline or " at [Source"). */
    private static String brief(JsonProcessingException e) {
        String m = e.getOriginalMessage() == null ? e.getClass().getSimpleName() : e.getOriginalMessage();
        int nl = m.indexOf('\n');
        return (nl >= 0 ? m.substring(0, nl) : m).trim();
    }
}
