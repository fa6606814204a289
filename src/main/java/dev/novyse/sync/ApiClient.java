package dev.novyse.sync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DatabindException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.novyse.concurrent.DaemonThreads;
import dev.novyse.protocol.AuthReply;
import dev.novyse.protocol.InitializeData;
import dev.novyse.protocol.Json;
import dev.novyse.protocol.UpdateData;
import dev.novyse.protocol.UpdateRequest;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.LongConsumer;
import java.util.function.Supplier;

/**
 * The REST client of the Novyse API (its HTTP: {@link HttpClients}). Every reply is checked: an error envelope or non-2xx
 * status becomes {@link ApiException.Kind#HTTP}, anything unparseable {@link ApiException.Kind#BAD_REPLY}, no reply
 * {@link ApiException.Kind#NETWORK}. Thread-safe.
 */
public final class ApiClient implements SyncSource {
    public static final String APP_VERSION = "0.1.0";
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    /**
     * Strict about what follows the JSON value: a reply with trailing garbage is not a reply. In a holder, so that
     * making a client does not build the mapper: the chat screen makes one before its first frame, while the mapper
     * is still being built on another thread (TuiLauncher.openPlain).
     */
    private static final class Replies {
        static final ObjectReader READER = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /**
     * The reader of update replies. Building Jackson's deserializers for the whole graph of an update (messages,
     * events, chats, users: ~20 record types) is ~100 ms of a cold start; {@link #prepareUpdatesAside} builds them
     * while the first request travels. A thread asking meanwhile waits for the one build (class initialisation).
     */
    private static final class UpdateReplies {
        static final ObjectReader READER = Json.mapper().readerFor(UpdateData.class);
    }

    /** Whether {@link #prepareUpdatesAside} has started the build (once per JVM). */
    private static final java.util.concurrent.atomic.AtomicBoolean PREPARING = new java.util.concurrent.atomic.AtomicBoolean();

    private final String base;
    private final TokenProvider tokens;
    private final HttpClients http = new HttpClients();
    private final Duration requestTimeout;

    public ApiClient(URI baseUrl, TokenProvider tokens) {
        this(baseUrl, tokens, REQUEST_TIMEOUT);
    }

    public ApiClient(URI baseUrl, TokenProvider tokens, Duration requestTimeout) {
        String b = baseUrl.toString();
        this.base = b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
        this.tokens = tokens == null ? TokenProvider.NONE : tokens;
        this.requestTimeout = requestTimeout;
    }

    // ---- authentication (replies are not enveloped) -----------------------------------------------------

    public AuthReply signup(String username, String password, String name) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("username", username);
        body.put("password", password);
        body.put("name", name);
        return auth("/signup/password", body, null);
    }

    public AuthReply signin(String username, String password) {
        return auth("/signin/password", Map.of("username", username, "password", password), null);
    }

    /** {@code POST /token} with {@code x-session-id}: a fresh access token for a live session. */
    public AuthReply refreshToken(String sessionKey) {
        return auth("/token", Map.of(), sessionKey);
    }

    public void logout() {
        post("/logout", Map.of());
    }

    private AuthReply auth(String path, Object body, String sessionKey) {
        Map<String, String> headers = headers(null);
        if (sessionKey != null) headers.put("x-session-id", sessionKey);
        HttpClients.Reply resp = send("POST", uri(path, Map.of()), headers, encode(body), "POST " + path);
        if (!ok(resp.status())) throw httpError(resp, "POST " + path);
        JsonNode root = parse(resp.body(), "POST " + path);
        AuthReply reply = decode(root, AuthReply.class, "POST " + path);
        if (reply == null || reply.token() == null || reply.token().isBlank()) {
            throw ApiException.badReply("malformed reply to POST " + path + ": no token", null);
        }
        return reply;
    }

    // ---- sync -------------------------------------------------------------------------------------------

    @Override
    public InitializeData initialize(int limit) {
        return require(call("GET", "/user/initialize", Map.of("limit", Integer.toString(limit)), null,
                () -> Json.mapper().readerFor(InitializeData.class)), "GET /user/initialize");
    }

    @Override
    public void prepareUpdates() {
        prepareUpdatesAside();
    }

    /**
     * Starts building the update reader's deserializers on a thread of its own, now (once per JVM; the one-shot
     * {@code sync} calls it before it opens its store). An empty reply is read without them ({@link EmptyUpdate}).
     */
    public static void prepareUpdatesAside() {
        if (PREPARING.compareAndSet(false, true)) {
            DaemonThreads.start("novyse-prepare-updates", () -> UpdateReplies.READER.getValueType());
        }
    }

    @Override
    public UpdateData update(UpdateRequest request, int limit) {
        // Written by hand, and the reader asked for once the reply is in: the request must not wait for the mapper's
        // serializers (see toJson) nor for the deserializers another thread may be building (prepareUpdates), and
        // an empty reply (the up-to-date sync's) not at all.
        String what = "POST /user/update";
        HttpClients.Reply resp = exchange("POST", "/user/update", Map.of("limit", Integer.toString(limit)),
                request.toJson(), what);
        UpdateData empty = EmptyUpdate.of(resp.body());
        return require(empty != null ? empty : read(resp, () -> UpdateReplies.READER, what), what);
    }

    private static <T> T require(T value, String what) {
        if (value == null) throw ApiException.badReply("malformed reply to " + what + ": no data", null);
        return value;
    }

    // ---- generic calls: each returns the envelope's data (NullNode when absent) -------------------------

    public JsonNode get(String path, Map<String, String> query) {
        return call("GET", path, query, null);
    }

    public JsonNode post(String path, Object body) {
        return call("POST", path, Map.of(), body);
    }

    public JsonNode put(String path, Object body) {
        return call("PUT", path, Map.of(), body);
    }

    public JsonNode patch(String path, Object body) {
        return call("PATCH", path, Map.of(), body);
    }

    /** DELETE with a JSON body, as the Novyse API expects. */
    public JsonNode delete(String path, Object body) {
        return call("DELETE", path, Map.of(), body);
    }

    // ---- files: presigned URLs (no bearer token goes to them, as with the public API's S3 URLs) -----------

    /** The least throughput an upload or download may have before it counts as stalled: 64 KiB/s. */
    private static final long MIN_BYTES_PER_SECOND = 64 * 1024;

    /**
     * PUTs {@code size} bytes of {@code file} to a presigned {@code url}, streamed from disk with a Content-Length;
     * {@code progress} receives the bytes handed to the connection so far. A refusal is {@link ApiException.Kind#HTTP}
     * with the server's code; a cut connection is {@link ApiException.Kind#NETWORK}.
     */
    public void upload(String url, Path file, long size, String mimeType, LongConsumer progress) {
        URI target = resolve(url);
        String what = "PUT " + target.getPath();
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> {
                    try {
                        return new CountingInputStream(Files.newInputStream(file), progress);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }), size);
        HttpRequest req = HttpRequest.newBuilder(target).timeout(transferTimeout(size))
                .header("Content-Type", mimeType == null ? "application/octet-stream" : mimeType)
                .header("x-app-version", APP_VERSION)
                .PUT(body).build();
        HttpResponse<byte[]> resp;
        try {
            resp = http.forTarget(target).send(req, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException | InterruptedException e) {
            throw networkFailure(e, what);
        }
        if (!ok(resp.statusCode())) throw httpError(new HttpClients.Reply(resp.statusCode(), resp.body()), what);
    }

    /**
     * GETs a presigned {@code url} into {@code target} (created or truncated), streamed; returns the bytes written.
     * A refusal is {@link ApiException.Kind#HTTP} and leaves {@code target} untouched.
     */
    public long download(String url, Path target) {
        URI source = resolve(url);
        String what = "GET " + source.getPath();
        HttpRequest req = HttpRequest.newBuilder(source).timeout(requestTimeout).header("x-app-version", APP_VERSION)
                .GET().build();
        HttpResponse<java.io.InputStream> resp;
        try {
            resp = http.forTarget(source).send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException | InterruptedException e) {
            throw networkFailure(e, what);
        }
        try (java.io.InputStream in = resp.body()) {
            if (!ok(resp.statusCode())) {
                byte[] error = in.readNBytes(64 * 1024);
                throw httpError(new HttpClients.Reply(resp.statusCode(), error), what);
            }
            try (java.io.OutputStream out = Files.newOutputStream(target)) {
                return in.transferTo(out);
            }
        } catch (IOException e) {
            throw new ApiException(ApiException.Kind.NETWORK, 0, null,
                    what + ": the download broke off (" + firstLine(String.valueOf(e.getMessage())) + ")", e);
        }
    }

    /** Upload URLs are absolute in the public API; a relative one is taken against this client's server. */
    private URI resolve(String url) {
        try {
            return URI.create(base + "/").resolve(url);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ApiException.badReply("the server sent an unusable file URL: " + url, e);
        }
    }

    private Duration transferTimeout(long size) {
        return requestTimeout.plusSeconds(size / MIN_BYTES_PER_SECOND);
    }

    /** Decodes {@code data} into a protocol record; a wrong shape is a bad reply, not a crash. */
    public static <T> T decode(JsonNode data, Class<T> type, String what) {
        return decode(data, Json.mapper().readerFor(type), what);
    }

    private static <T> T decode(JsonNode data, ObjectReader reader, String what) {
        if (data == null || data.isNull() || data.isMissingNode()) return null;
        try {
            return reader.readValue(data);
        } catch (IOException | IllegalArgumentException e) {
            throw ApiException.badReply("malformed reply to " + what + ": " + jsonWords(e), e);
        }
    }

    private JsonNode call(String method, String path, Map<String, String> query, Object body) {
        String what = method + " " + path;
        HttpClients.Reply resp = exchange(method, path, query, body == null ? null : encode(body), what);
        return envelopeData(resp.body(), resp.status(), what);
    }

    /**
     * A call whose envelope's data {@code reader} decodes. Large replies (a sync page is megabytes) are read
     * in one streaming pass from the bytes, with no tree in between; anything but a well-formed {@code success:
     * true} envelope takes the tree path, so that every error reads exactly as from {@link #call}.
     */
    private <T> T call(String method, String path, Map<String, String> query, byte[] body,
                       Supplier<ObjectReader> readerOnceReplied) {
        String what = method + " " + path;
        return read(exchange(method, path, query, body, what), readerOnceReplied, what);
    }

    /** A 2xx reply's envelope data, decoded by the reader (see {@link #call(String, String, Map, byte[], Supplier)}). */
    private <T> T read(HttpClients.Reply resp, Supplier<ObjectReader> readerOnceReplied, String what) {
        ObjectReader reader = readerOnceReplied.get();
        try (JsonParser p = Json.mapper().getFactory().createParser(resp.body())) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                boolean success = false;
                T data = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    JsonToken value = p.nextToken();
                    if (field.equals("success")) success = value == JsonToken.VALUE_TRUE;
                    else if (field.equals("data")) data = value == JsonToken.VALUE_NULL ? null : reader.readValue(p);
                    else p.skipChildren();
                }
                if (success && p.currentToken() == JsonToken.END_OBJECT && p.nextToken() == null) return data;
            }
        } catch (DatabindException e) {
            throw ApiException.badReply("malformed reply to " + what + ": " + jsonWords(e), e);
        } catch (IOException e) {
            // malformed JSON: the tree path below names it
        }
        return decode(envelopeData(resp.body(), resp.status(), what), reader, what);
    }

    /** Sends the request (refreshing an expired token once) and returns the reply when it is a 2xx. */
    private HttpClients.Reply exchange(String method, String path, Map<String, String> query, byte[] body, String what) {
        URI uri = uri(path, query);
        HttpClients.Reply resp = send(method, uri, headers(tokens.current()), body, what);
        if (resp.status() == 401) {
            JsonNode root = parseOrNull(resp.body());
            if ("AUTH_TOKEN_EXPIRED".equals(text(root, "error"))) {
                // One refresh and one retry; a second expiry surfaces to the caller.
                resp = send(method, uri, headers(tokens.refresh()), body, what);
            }
        }
        if (!ok(resp.status())) throw httpError(resp, what);
        return resp;
    }

    /** The data of a {success, data} envelope (NullNode when absent); a refusal or anything else is an error. */
    private static JsonNode envelopeData(byte[] body, int status, String what) {
        JsonNode root = parse(body, what);
        if (!root.isObject() || !root.path("success").isBoolean()) {
            throw ApiException.badReply("malformed reply to " + what + ": not a {success, data} envelope", null);
        }
        if (!root.get("success").asBoolean()) {
            throw new ApiException(ApiException.Kind.HTTP, status, text(root, "error"),
                    what + " failed: " + describe(root, status), firstLine(text(root, "message")), null);
        }
        JsonNode data = root.get("data");
        return data == null ? NullNode.getInstance() : data;
    }

    private URI uri(String path, Map<String, String> query) {
        StringJoiner qs = new StringJoiner("&", "?", "");
        qs.setEmptyValue("");
        for (Map.Entry<String, String> e : query.entrySet()) {
            if (e.getValue() == null) continue;
            qs.add(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        try {
            return URI.create(base + path + qs);
        } catch (IllegalArgumentException e) {
            throw new ApiException(ApiException.Kind.NETWORK, 0, null, "bad server address " + base + ": "
                    + firstLine(e.getMessage()), e);
        }
    }

    /** The protocol's headers of every API call, with the bearer token when there is one. */
    private static Map<String, String> headers(String token) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Accept", "application/json");
        h.put("Content-Type", "application/json");
        h.put("x-platform", "desktop");
        h.put("x-operating-system", System.getProperty("os.name", "unknown"));
        h.put("x-app-version", APP_VERSION);
        if (token != null) h.put("Authorization", "Bearer " + token);
        return h;
    }

    private static byte[] encode(Object body) {
        try {
            return Json.mapper().writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode request body: " + firstLine(e.getMessage()), e);
        }
    }

    private HttpClients.Reply send(String method, URI uri, Map<String, String> headers, byte[] body, String what) {
        try {
            return http.call(method, uri, headers, body, requestTimeout);
        } catch (IOException | InterruptedException e) {
            throw networkFailure(e, what);
        }
    }

    /** No reply: unreachable, timed out, cut, interrupted. */
    private ApiException networkFailure(Exception e, String what) {
        if (e instanceof HttpTimeoutException || e instanceof SocketTimeoutException) {
            return new ApiException(ApiException.Kind.NETWORK, 0, null, what + ": no answer from " + base + " in time", e);
        }
        if (e instanceof ConnectException || e instanceof UnknownHostException) {
            return new ApiException(ApiException.Kind.NETWORK, 0, null, "cannot reach " + base, e);
        }
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
            return new ApiException(ApiException.Kind.NETWORK, 0, null, what + ": interrupted", e);
        }
        return new ApiException(ApiException.Kind.NETWORK, 0, null,
                what + ": connection to " + base + " failed (" + firstLine(String.valueOf(e.getMessage())) + ")", e);
    }

    private static boolean ok(int status) {
        return status >= 200 && status < 300;
    }

    private static ApiException httpError(HttpClients.Reply resp, String what) {
        JsonNode root = parseOrNull(resp.body());
        int status = resp.status();
        if (status == 426) {
            String min = root == null ? null : text(root.path("data"), "minVersion");
            return new ApiException(ApiException.Kind.HTTP, status, "UPDATE_REQUIRED", "the server requires novyse "
                    + (min == null ? "a newer version" : min + " or newer") + " (this is " + APP_VERSION + ")");
        }
        return new ApiException(ApiException.Kind.HTTP, status, root == null ? null : text(root, "error"),
                what + " failed: " + describe(root, status), firstLine(text(root, "message")), null);
    }

    /** "CODE: message (HTTP n)" from an error body, or just the status for a body that is not JSON (a proxy page). */
    private static String describe(JsonNode root, int status) {
        String code = root == null ? null : text(root, "error");
        String message = root == null ? null : text(root, "message");
        StringBuilder sb = new StringBuilder();
        if (message != null) sb.append(firstLine(message));
        if (code != null) sb.append(sb.length() > 0 ? " (" + code + ")" : code);
        if (sb.length() == 0) sb.append("the server answered HTTP ").append(status);
        else sb.append(" [HTTP ").append(status).append(']');
        return sb.toString();
    }

    private static JsonNode parse(byte[] body, String what) {
        if (body == null || isBlank(body)) throw ApiException.badReply("empty reply to " + what, null);
        try {
            JsonNode n = Replies.READER.readTree(body);
            if (n == null || n.isMissingNode()) throw ApiException.badReply("empty reply to " + what, null);
            return n;
        } catch (JsonProcessingException e) {
            throw ApiException.badReply("malformed JSON in reply to " + what + ": " + jsonWords(e), e);
        } catch (IOException e) { // not thrown when reading from memory
            throw ApiException.badReply("unreadable reply to " + what + ": " + firstLine(e.getMessage()), e);
        }
    }

    private static JsonNode parseOrNull(byte[] body) {
        if (body == null || isBlank(body)) return null;
        try {
            JsonNode n = Replies.READER.readTree(body);
            return n == null || !n.isObject() ? null : n;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isBlank(byte[] body) {
        for (byte b : body) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') return false;
        }
        return true;
    }

    private static String text(JsonNode node, String field) {
        if (node == null) return null;
        JsonNode v = node.get(field);
        return v == null || !v.isValueNode() || v.isNull() ? null : v.asText();
    }

    /**
     * What is wrong with a reply's JSON, in words: where (the field path) and what (cut short, not JSON, a value of
     * the wrong type). Jackson's own message names Java types and quotes the input: not for a person.
     */
    static String jsonWords(Exception e) {
        Throwable t = e instanceof IllegalArgumentException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof com.fasterxml.jackson.core.io.JsonEOFException) {
            return "the JSON is cut short";
        }
        if (t instanceof com.fasterxml.jackson.core.JsonParseException p) {
            var at = p.getLocation();
            return "not well-formed JSON" + (at == null ? "" : " (line " + at.getLineNr() + ", column "
                    + at.getColumnNr() + ")");
        }
        if (t instanceof com.fasterxml.jackson.databind.JsonMappingException m) {
            StringBuilder path = new StringBuilder();
            for (var ref : m.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            return (path.length() == 0 ? "a value" : "'" + path + "'") + " has an unexpected type or value";
        }
        return "unreadable JSON";
    }

    static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return (nl >= 0 ? s.substring(0, nl) : s).trim();
    }
}
