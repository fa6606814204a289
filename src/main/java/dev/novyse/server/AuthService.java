package dev.novyse.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.AuthReply;
import io.javalin.http.Context;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Base64;
import java.util.UUID;
import java.util.regex.Pattern;

import static dev.novyse.server.ServerDatabase.queryLong;
import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * Password sign-up and sign-in (the self-hosted stand-in for OPAQUE), sessions, and bearer-token checks.
 * The session secret is the long-lived credential; access tokens are short-lived and die with their session.
 */
final class AuthService {
    static final Pattern USERNAME = Pattern.compile("[a-z0-9_.]{3,32}");
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The authenticated caller of a request: a session's ({@code key} null) or an API key's ({@code sessionId} 0). */
    record Caller(String userUUID, long sessionId, ApiKeyService.Key key) {
    }

    private final ServerDatabase db;
    private final ServerConfig config;
    private final Passwords passwords;
    private final Tokens tokens;
    private final ApiKeyService keys;

    AuthService(ServerDatabase db, ServerConfig config, ApiKeyService keys) {
        this.db = db;
        this.config = config;
        this.keys = keys;
        this.passwords = new Passwords(config.passwordIterations());
        this.tokens = new Tokens(secret(db));
    }

    /**
     * The server's HMAC secret, made once and kept in the database: every process sharing the database signs and
     * checks tokens and file URLs with it. Of processes starting together, the first one's insert wins.
     */
    static byte[] secret(ServerDatabase db) {
        String stored = db.write(c -> {
            byte[] fresh = new byte[32];
            RANDOM.nextBytes(fresh);
            update(c, "INSERT INTO server_meta(key, value) VALUES('token_secret', ?) ON CONFLICT(key) DO NOTHING",
                    Base64.getEncoder().encodeToString(fresh));
            return queryString(c, "SELECT value FROM server_meta WHERE key='token_secret'");
        });
        return Base64.getDecoder().decode(stored);
    }

    static String normaliseUsername(String raw) {
        String u = raw.trim().toLowerCase(java.util.Locale.ROOT);
        if (!USERNAME.matcher(u).matches()) {
            throw ApiError.badRequest("username must be 3-32 characters of a-z, 0-9, '_' and '.'");
        }
        return u;
    }

    private static String password(Body body) {
        String p = body.string("password", 1024);
        if (p.length() < 8) {
            throw ApiError.badRequest("password must be at least 8 characters");
        }
        return p;
    }

    AuthReply signup(Body body, String platform) {
        String username = normaliseUsername(body.string("username", 64));
        String password = password(body);
        String name = body.optString("name", 128);
        if (name == null || name.isBlank()) {
            name = username;
        }
        byte[] salt = Passwords.newSalt();
        byte[] hash = passwords.hash(password, salt); // slow: outside the database lock
        String displayName = name.strip();
        return db.write(c -> {
            if (queryString(c, "SELECT handle FROM handles WHERE handle=?", username) != null) {
                throw ApiError.conflict("username '" + username + "' is taken");
            }
            String uuid = UUID.randomUUID().toString();
            update(c, "INSERT INTO users(uuid, username, name, password_hash, password_salt, created_at) VALUES(?,?,?,?,?,?)",
                    uuid, username, displayName, hash, salt, now());
            update(c, "INSERT INTO handles(handle, user_uuid) VALUES(?,?)", username, uuid);
            return newSession(c, uuid, platform);
        });
    }

    AuthReply signin(Body body, String platform) {
        String username = normaliseUsername(body.string("username", 64));
        // Not the signup's rule: a wrong password is wrong whatever its length (a short one said "at least 8").
        String password = body.string("password", 1024);
        record Stored(String uuid, byte[] hash, byte[] salt) {
        }
        Stored stored = db.read(c -> {
            try (PreparedStatement ps = ServerDatabase.prepare(c,
                    "SELECT uuid, password_hash, password_salt FROM users WHERE username=?", username);
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Stored(rs.getString(1), rs.getBytes(2), rs.getBytes(3)) : null;
            }
        });
        byte[] salt = stored == null ? Passwords.newSalt() : stored.salt();
        // Hash even for unknown users so timing does not reveal which usernames exist.
        boolean ok = passwords.matches(password, salt, stored == null ? new byte[32] : stored.hash());
        if (stored == null || !ok) {
            throw ApiError.unauthorized("INVALID_CREDENTIALS", "wrong username or password");
        }
        return db.write(c -> newSession(c, stored.uuid(), platform));
    }

    private AuthReply newSession(Connection c, String userUUID, String platform) throws SQLException {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        long id = queryLong(c, "INSERT INTO sessions(secret, user_uuid, platform, created_at) VALUES(?,?,?,?) RETURNING id",
                secret, userUUID, platform, now());
        Instant expires = config.clock().instant().plus(config.tokenLifetime());
        return new AuthReply(tokens.issue(new Tokens.Claims(userUUID, id, expires)), userUUID, id, secret, expires.toString());
    }

    AuthReply refresh(String sessionSecret) {
        if (sessionSecret == null || sessionSecret.isBlank()) {
            throw ApiError.unauthorized("SESSION_INVALID", "header x-session-id is required");
        }
        record Session(long id, String user) {
        }
        Session s = db.read(c -> {
            try (PreparedStatement ps = ServerDatabase.prepare(c,
                    "SELECT id, user_uuid FROM sessions WHERE secret=? AND revoked=0", sessionSecret.trim());
                 ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Session(rs.getLong(1), rs.getString(2)) : null;
            }
        });
        if (s == null) {
            throw ApiError.unauthorized("SESSION_INVALID", "the session is unknown or was revoked");
        }
        Instant expires = config.clock().instant().plus(config.tokenLifetime());
        String token = tokens.issue(new Tokens.Claims(s.user(), s.id(), expires));
        return new AuthReply(token, s.user(), s.id(), sessionSecret.trim(), expires.toString());
    }

    void logout(Caller caller) {
        db.write(c -> update(c, "UPDATE sessions SET revoked=1 WHERE id=?", caller.sessionId()));
    }

    /** Those of {@code sessionIds} that were signed out (or are unknown): their live connections end. */
    java.util.Set<String> revokedAmong(java.util.Set<String> sessionIds) {
        java.util.Set<String> revoked = new java.util.HashSet<>(sessionIds);
        List<String> ids = List.copyOf(sessionIds);
        for (int from = 0; from < ids.size(); from += 500) { // a statement per 500: a thousand sockets, two reads
            List<String> part = ids.subList(from, Math.min(ids.size(), from + 500));
            Object[] args = part.stream().map(Long::parseLong).toArray();
            String marks = String.join(",", java.util.Collections.nCopies(part.size(), "?"));
            revoked.removeAll(db.read(c -> ServerDatabase.queryStrings(c,
                    "SELECT CAST(id AS TEXT) FROM sessions WHERE revoked = 0 AND id IN (" + marks + ")", args)));
        }
        return revoked;
    }

    /**
     * The caller of a request that needs a bearer token, or a 401 with the public client's error codes; a caller with
     * an API key gets a 403 for what its key may not do ({@link ApiKeyScope}).
     */
    Caller authenticate(Context ctx) {
        String header = ctx.header("Authorization");
        if (header == null || header.isBlank()) {
            throw ApiError.unauthorized("AUTH_NO_TOKEN", "an Authorization: Bearer token is required");
        }
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw ApiError.unauthorized("AUTH_INVALID_TOKEN", "the Authorization header must be 'Bearer <token>'");
        }
        Caller caller = authenticateToken(header.substring(7).trim());
        if (caller.key() != null) {
            ApiKeyScope.check(caller.key(), ctx.method().name(), ctx.path());
        }
        return caller;
    }

    /** An access token's or an API key's caller (checked against the database every time), or a 401. */
    Caller authenticateToken(String token) {
        if (token == null || token.isEmpty()) {
            throw ApiError.unauthorized("AUTH_NO_TOKEN", "a token is required");
        }
        if (ApiKeyService.looksLikeKey(token)) {
            ApiKeyService.Key key = keys.authenticate(token);
            return new Caller(key.userUUID(), 0, key);
        }
        Tokens.Checked checked = tokens.check(token, config.clock().instant());
        if (checked.verdict() == Tokens.Verdict.INVALID) {
            throw ApiError.unauthorized("AUTH_INVALID_TOKEN", "the token is not valid");
        }
        if (checked.verdict() == Tokens.Verdict.EXPIRED) {
            throw ApiError.unauthorized("AUTH_TOKEN_EXPIRED", "the token has expired; refresh it with POST /token");
        }
        Tokens.Claims claims = checked.claims();
        Long live = db.read(c -> queryLong(c, "SELECT id FROM sessions WHERE id=? AND user_uuid=? AND revoked=0",
                claims.sessionId(), claims.userUUID()));
        if (live == null) {
            throw ApiError.unauthorized("AUTH_INVALID_TOKEN", "the session of this token has ended");
        }
        return new Caller(claims.userUUID(), claims.sessionId(), null);
    }

    /**
     * {@code GET /session}: who the caller is and with what credential, so that a script holding only a key learns
     * its account: {@code {session: {id, userUUID, username, apiKey?: {id, permissions}}}}.
     */
    ObjectNode describe(Caller caller) {
        ObjectNode out = Http.object();
        ObjectNode s = out.putObject("session");
        String username = db.read(c -> queryString(c, "SELECT username FROM users WHERE uuid=?", caller.userUUID()));
        s.put("id", caller.sessionId()).put("userUUID", caller.userUUID()).put("username", username);
        if (caller.key() != null) {
            s.putObject("apiKey").put("id", caller.key().id())
                    .put("permissions", caller.key().maySend() ? ApiKeyService.READ_SEND : ApiKeyService.READ);
        }
        return out;
    }

    private String now() {
        return Times.iso(config.clock());
    }
}
