package dev.novyse.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;
import dev.novyse.sync.SyncSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;

/**
 * The sync's pages for {@link dev.novyse.sync.SyncEngine#drain}, with the server's part and the client's part timed
 * apart: an exchange (the request out, the server reading and writing the page, every byte of the reply in) and the
 * parse of the reply into the protocol's records. The exchange is made as {@link dev.novyse.sync.ApiClient} makes it
 * (one {@code HttpURLConnection} per call, the same request body); the parse is the one the sync's fetch thread
 * runs. The server's page rate is the messages over the exchanges' time: a client that discards pages needs only
 * their cursors, and the parse is the client's own cost (the sync does it on its fetch thread, beside the apply).
 */
final class TimedPages implements SyncSource {
    private static final ObjectReader INITIALIZE = Json.mapper().readerFor(InitializeData.class);
    private static final ObjectReader UPDATE = Json.mapper().readerFor(UpdateData.class);

    private final String base;
    private final String token;
    long exchangeNanos;
    long parseNanos;
    long bytes;

    TimedPages(String base, String token) {
        this.base = base;
        this.token = token;
    }

    @Override
    public InitializeData initialize(int limit) {
        return parse(exchange("GET", "/user/initialize?limit=" + limit, null), INITIALIZE);
    }

    @Override
    public UpdateData update(UpdateRequest request, int limit) {
        return parse(exchange("POST", "/user/update?limit=" + limit, request.toJson()), UPDATE);
    }

    private byte[] exchange(String method, String pathAndQuery, byte[] body) {
        long t0 = System.nanoTime();
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create(base + pathAndQuery).toURL().openConnection();
            c.setRequestMethod(method);
            c.setRequestProperty("Authorization", "Bearer " + token);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            if (c.getResponseCode() != 200) throw new IllegalStateException(method + " " + pathAndQuery + ": HTTP " + c.getResponseCode());
            byte[] reply;
            try (InputStream in = c.getInputStream()) {
                reply = in.readAllBytes();
            }
            bytes += reply.length;
            return reply;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            exchangeNanos += System.nanoTime() - t0;
        }
    }

    /** The envelope's {@code data}, read as the client reads it. */
    private <T> T parse(byte[] reply, ObjectReader reader) {
        long t0 = System.nanoTime();
        try (JsonParser p = Json.mapper().getFactory().createParser(reply)) {
            T data = null;
            if (p.nextToken() != JsonToken.START_OBJECT) throw new IllegalStateException("not an envelope");
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals("data")) data = reader.readValue(p);
                else p.skipChildren();
            }
            if (data == null) throw new IllegalStateException("a reply without data");
            return data;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            parseNanos += System.nanoTime() - t0;
        }
    }
}
