package dev.novyse.account;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The credentials file read and written with Jackson's streaming parser, not its ObjectMapper. Opening the chat screen
 * reads this file first, and building the mapper and a record deserializer for it took ~100 ms of the first frame
 * (docs/benchmarks.md), while nothing else before that frame needs the mapper. The file is what the mapper wrote
 * before: the same names, nulls left out, unknown names skipped, numbers accepted as strings.
 */
final class CredentialsJson {
    private static final JsonFactory FACTORY = new JsonFactory();

    private CredentialsJson() {
    }

    static Credentials read(Path file) throws IOException {
        String server = null, username = null, userUUID = null, sessionSecret = null, token = null, expires = null;
        long sessionID = 0;
        try (JsonParser p = FACTORY.createParser(Files.readAllBytes(file))) {
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IOException("not a JSON object");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                String text = value == JsonToken.VALUE_NULL ? null : p.getValueAsString();
                switch (name) {
                    case "server" -> server = text;
                    case "username" -> username = text;
                    case "userUUID" -> userUUID = text;
                    case "sessionID" -> sessionID = text == null ? 0 : Long.parseLong(text.trim());
                    case "sessionSecret" -> sessionSecret = text;
                    case "token" -> token = text;
                    case "tokenExpiresAt" -> expires = text;
                    default -> {
                        // a name this version does not know
                    }
                }
            }
        } catch (NumberFormatException e) {
            throw new IOException("sessionID is not a number");
        }
        return new Credentials(server, username, userUUID, sessionID, sessionSecret, token, expires);
    }

    static String write(Credentials c) throws IOException {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = FACTORY.createGenerator(out)) {
            g.writeStartObject();
            field(g, "server", c.server());
            field(g, "username", c.username());
            field(g, "userUUID", c.userUUID());
            g.writeNumberField("sessionID", c.sessionID());
            field(g, "sessionSecret", c.sessionSecret());
            field(g, "token", c.token());
            field(g, "tokenExpiresAt", c.tokenExpiresAt());
            g.writeEndObject();
        }
        return out.toString();
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) g.writeStringField(name, value);
    }
}
