package dev.novyse.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import dev.novyse.protocol.Envelope;
import dev.novyse.protocol.Json;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;

/** Reading bounded request bodies and writing envelope replies. */
final class Http {
    static final int MAX_BODY_BYTES = 1 << 20;

    /**
     * Replies are written with the project's mapper plus Blackbird: accessors bound once with LambdaMetafactory
     * instead of called by reflection for every field of every message of a page. A holder, so that a process that
     * loads {@code Http} without replying (helpers of the services) does not build it (~14 ms).
     */
    private static final class Replies {
        static final ObjectWriter WRITER = Json.mapper().copy().registerModule(new BlackbirdModule()).writer();
    }

    private Http() {}

    static Body body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > MAX_BODY_BYTES) {
            throw ApiError.tooLarge("request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            bytes = in.readNBytes(MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw ApiError.badRequest("request body could not be read");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw ApiError.tooLarge("request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        return Body.parse(bytes);
    }

    /** The success envelope; {@code data} is written even when null, as the public server does. */
    private record Ok(boolean success,
                      @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.ALWAYS)
                      Object data) {
    }

    /**
     * The success envelope, serialised in one pass with no intermediate tree (a sync page is thousands of messages).
     * Into Jackson's own segmented buffer, copied once at the end: a growing ByteArrayOutputStream re-copied a 1.7 MB
     * page at every doubling and then once more, about a tenth of the server's time for a page (docs/benchmarks.md).
     */
    static void ok(Context ctx, Object data) {
        byte[] body;
        try {
            body = Replies.WRITER.writeValueAsBytes(new Ok(true, data));
        } catch (IOException e) {
            throw new IllegalStateException("reply not serialisable", e);
        }
        ctx.status(200).contentType("application/json").result(body);
    }

    static ObjectNode object() {
        return Json.mapper().createObjectNode();
    }

    /** Un-enveloped reply, as the public auth service answers. */
    static void bare(Context ctx, int status, Object value) {
        write(ctx, status, value);
    }

    /** A refused request's unread body up to this size is read and dropped so that the client gets the refusal. */
    static final long UNREAD_BODY_DRAIN_LIMIT = 16L << 20;

    static void error(Context ctx, ApiError e) {
        drainUnreadBody(ctx);
        write(ctx, e.status(), Envelope.failure(e.code(), e.getMessage()));
    }

    /**
     * A request refused before its body was read (too large, bad token, bad signature): closing on unread bytes
     * resets the connection, and a client still sending loses the reply with it. A body of sane size is read to
     * its end first; for a larger one the reply says the connection closes.
     */
    private static void drainUnreadBody(Context ctx) {
        long length = ctx.req().getContentLengthLong();
        if (length <= 0) return;
        if (length > UNREAD_BODY_DRAIN_LIMIT) {
            ctx.header("Connection", "close");
            return;
        }
        try {
            ctx.req().getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        } catch (java.io.IOException | RuntimeException gone) {
            ctx.header("Connection", "close");
        }
    }

    private static void write(Context ctx, int status, Object value) {
        try {
            ctx.status(status).contentType("application/json").result(Json.mapper().writeValueAsBytes(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reply not serialisable", e);
        }
    }

    static String query(Context ctx, String name, int maxLength) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            throw ApiError.badRequest("query parameter '" + name + "' is required");
        }
        if (v.length() > maxLength) {
            throw ApiError.badRequest("query parameter '" + name + "' is too long");
        }
        return v;
    }

    static long queryLong(Context ctx, String name, long min, long max, long dflt) {
        String v = ctx.queryParam(name);
        if (v == null || v.isEmpty()) {
            return dflt;
        }
        try {
            long value = Long.parseLong(v.trim());
            if (value < min || value > max) {
                throw ApiError.badRequest("query parameter '" + name + "' must be between " + min + " and " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("query parameter '" + name + "' must be an integer");
        }
    }
}
