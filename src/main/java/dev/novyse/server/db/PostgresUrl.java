package dev.novyse.server.db;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A PostgreSQL connection URI in libpq's form, {@code postgresql://user[:password]@host[:port]/database[?param=value]}
 * (the form {@code psql} and every PostgreSQL tool take), read into what the JDBC driver wants: its own URL, which has
 * no place for the user and password, and those two apart. Parameters (sslmode, connect_timeout, ...) pass through.
 */
public record PostgresUrl(String host, int port, String database, String user, String password,
                          Map<String, String> params) {
    public static final int DEFAULT_PORT = 5432;

    public PostgresUrl {
        params = Map.copyOf(params);
    }

    /** Whether {@code text} names a PostgreSQL database rather than something else (a file, a typo). */
    public static boolean isPostgres(String text) {
        return text.startsWith("postgresql://") || text.startsWith("postgres://");
    }

    /** Reads {@code text}; an {@link IllegalArgumentException} says in a sentence what is wrong with it. */
    public static PostgresUrl parse(String text) {
        if (!isPostgres(text)) {
            throw new IllegalArgumentException("a database is given as postgresql://user[:password]@host[:port]/name");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the database address is not a valid URI: " + e.getReason());
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("the database address names no host (postgresql://user@host/name)");
        }
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        String database = decode(path.startsWith("/") ? path.substring(1) : path);
        String user = null;
        String password = null;
        String info = uri.getRawUserInfo();
        if (info != null) {
            int colon = info.indexOf(':');
            user = decode(colon < 0 ? info : info.substring(0, colon));
            password = colon < 0 ? null : decode(info.substring(colon + 1));
        }
        if (user == null || user.isEmpty()) {
            throw new IllegalArgumentException("the database address names no user (postgresql://user@host/name)");
        }
        if (database.isEmpty()) database = user; // libpq's default: the database named like the user
        Map<String, String> params = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) continue;
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                if (key.equals("user")) user = value;
                else if (key.equals("password")) password = value;
                else params.put(key, value);
            }
        }
        if (host.startsWith("[") && host.endsWith("]")) host = host.substring(1, host.length() - 1);
        return new PostgresUrl(host, uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort(), database, user, password, params);
    }

    /** The driver's URL: host, port, database and the parameters, without the credentials. */
    public String jdbcUrl() {
        StringBuilder b = new StringBuilder("jdbc:postgresql://")
                .append(host.contains(":") ? "[" + host + "]" : host).append(':').append(port)
                .append('/').append(encode(database));
        char sep = '?';
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(sep).append(encode(e.getKey())).append('=').append(encode(e.getValue()));
            sep = '&';
        }
        return b.toString();
    }

    /** The address without its password, for logs and error messages. */
    public String redacted() {
        return "postgresql://" + user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
        return redacted();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
