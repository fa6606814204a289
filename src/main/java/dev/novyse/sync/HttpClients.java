package dev.novyse.sync;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;

/**
 * The JDK HTTP clients of one {@link ApiClient}, one per scheme, each made on first use.
 *
 * <p>HTTP/1.1: Java's default (HTTP/2) asks every http:// request to upgrade to h2c, and a server with an upgrade
 * handler of its own (engine.io on node's http server) drops such a request unanswered.
 *
 * <p>A client made without an SSL context of its own builds the JVM's default one, which reads the system's trust
 * store: some 400 classes and a few hundred milliseconds of a cold start that a plain http:// server (a self-hosted
 * one on a LAN, the demo's on loopback) never needs. The client for http:// targets gets a context with no keys
 * and no trusted certificates instead, which could not complete a handshake anyway; https:// targets (the server's
 * own, or a presigned file URL elsewhere) get the default one.
 */
final class HttpClients {
    private HttpClient plain;
    private HttpClient tls;

    /** The client for {@code target}'s scheme. */
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
