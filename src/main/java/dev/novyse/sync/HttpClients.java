package dev.novyse.sync;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Map;

/**
 * The HTTP clients of one {@link ApiClient}: calls of the JSON API go through {@link HttpURLConnection}, file
 * transfers (and PATCH) through {@code java.net.http}, one client per scheme, each made on first use.
 *
 * <p>Why two: a one-shot command is mostly start-up, and java.net.http's first request is a cold start of its own
 * (a selector thread, an SSL context even for http://, a chain of completable futures): the first page of a
 * catch-up took 230-270 ms through it against 90-120 ms through HttpURLConnection, both with the classes archived
 * (docs/benchmarks.md). HttpURLConnection is synchronous, keeps connections alive per host, and builds the JVM's
 * default SSL context only when an https:// URL is opened. It refuses PATCH (its methods are a fixed list), so the
 * API's PATCH calls take java.net.http, as do uploads and downloads, which keep its whole-transfer deadline.
 *
 * <p>HTTP/1.1 on both: Java's default for java.net.http (HTTP/2) asks every http:// request to upgrade to h2c, and
 * a server with an upgrade handler of its own (engine.io on node's http server) drops such a request unanswered.
 *
 * <p>A java.net.http client made without an SSL context of its own builds the JVM's default one, which reads the
 * system's trust store; the client for http:// targets gets a context with no keys and no trusted certificates
 * instead, which could not complete a handshake anyway; https:// targets get the default one.
 */
final class HttpClients {
    /** A reply: its status and its whole body (empty when there was none). */
    record Reply(int status, byte[] body) {
    }

    private HttpClient plain;
    private HttpClient tls;

    static {
        // HttpURLConnection resends a POST whose kept-alive connection broke before the reply, by default: a request
        // the server may have applied would be applied twice. (Bodies are buffered, not streamed with a fixed length,
        // which would also prevent it: in streaming mode a 401's body is dropped, and the API's 401 says why.)
        System.setProperty("sun.net.http.retryPost", "false");
    }

    /** One call of the JSON API. */
    Reply call(String method, URI uri, Map<String, String> headers, byte[] body, Duration timeout)
            throws IOException, InterruptedException {
        if (method.equals("PATCH")) {
            HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(timeout)
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            headers.forEach(rb::header);
            HttpResponse<byte[]> resp = forTarget(uri).send(rb.build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(resp.statusCode(), resp.body());
        }
        HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
        try {
            c.setRequestMethod(method);
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            c.setConnectTimeout((int) ApiClient.CONNECT_TIMEOUT.toMillis());
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            headers.forEach(c::setRequestProperty);
            if (body != null) {
                c.setDoOutput(true);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            int status = c.getResponseCode();
            // Read to the end and closed: the connection goes back to the keep-alive cache for the next call.
            try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
                return new Reply(status, in == null ? new byte[0] : in.readAllBytes());
            }
        } catch (IOException e) {
            c.disconnect(); // a broken exchange leaves nothing in the keep-alive cache
            throw e;
        }
    }

    /** The java.net.http client for {@code target}'s scheme: for transfers and PATCH. */
    synchronized HttpClient forTarget(URI target) {
        if ("https".equalsIgnoreCase(target.getScheme())) {
            if (tls == null) tls = builder().build();
            return tls;
        }
        if (plain == null) plain = builder().sslContext(noTls()).build();
        return plain;
    }

    private static HttpClient.Builder builder() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(ApiClient.CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER);
    }

    private static SSLContext noTls() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[0], new TrustManager[0], null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS implementation in this JVM", e);
        }
    }
}
