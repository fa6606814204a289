package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Timestamps;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import static dev.novyse.server.ServerDatabase.queryString;
import static dev.novyse.server.ServerDatabase.update;

/**
 * API keys in the public auth service's shape (docs/protocol.md#api-keys): a key acts for its user without a password,
 * limited to {@code read} or {@code read,send} ({@link ApiKeyScope}). Every presented key is looked up in the
 * database on every request, never cached in the process, so that a pause or a revoke works at once on every server
 * process sharing the database.
 */
final class ApiKeyService {
    /** What every key starts with: recognisable in a leaked log or a secret scanner, and never taken for a token. */
    static final String PREFIX = "nvk_";
    static final String READ = "read";
    static final String READ_SEND = "read,send";
    /** Writing the last use on every request would make every read a write; once a minute is precise enough. */
    private static final Duration LAST_USED_GRANULARITY = Duration.ofMinutes(1);
    private static final long MAX_EXPIRES_IN = Duration.ofDays(3650).toSeconds();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key that was accepted: whose it is and what it may do. */
    record Key(String id, String userUUID, boolean maySend) {
    }

    private final ServerDatabase db;
    private final Clock clock;

    ApiKeyService(ServerDatabase db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    static boolean looksLikeKey(String bearer) {
        return bearer.startsWith(PREFIX);
    }

    /**
     * The stored form of a key. A key is 256 random bits, so a fast hash is enough: nobody can guess a preimage by
     * trying candidates, which is what makes passwords (low entropy) need a slow, salted hash such as PBKDF2. A fast
     * hash also keeps the per-request check cheap and lets the hash itself be the indexed lookup column.
     */
    static String hash(String key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** The key's owner and rights, or a 401: unknown or revoked, paused, expired. */
    Key authenticate(String presented) {
        String hash = hash(presented);
        Instant now = clock.instant();
        return db.write(c -> {
            record Row(String id, String user, String permissions, boolean active, String expires, String lastUsed) {
            }
            Row row;
            try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT id, user_uuid, permissions, active, expires_at,"
                    + " last_used_at FROM api_keys WHERE secret_hash=?", hash);
                 ResultSet rs = ps.executeQuery()) {
                row = rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4) != 0,
                        rs.getString(5), rs.getString(6)) : null;
            }
            if (row == null) {
                throw ApiError.unauthorized("AUTH_INVALID_TOKEN", "the API key is unknown or was revoked");
            }
            if (!row.active()) {
                throw ApiError.unauthorized("AUTH_API_KEY_PAUSED", "the API key is paused");
            }
            if (row.expires() != null && !now.isBefore(Instant.parse(row.expires()))) {
                throw ApiError.unauthorized("AUTH_API_KEY_EXPIRED", "the API key has expired");
            }
            if (row.lastUsed() == null || Instant.parse(row.lastUsed()).plus(LAST_USED_GRANULARITY).isBefore(now)) {
                update(c, "UPDATE api_keys SET last_used_at=? WHERE id=?", Times.iso(clock), row.id());
            }
            return new Key(row.id(), row.user(), row.permissions().equals(READ_SEND));
        });
    }

    /** Whether the key still works: what a live socket opened with it is re-checked against. */
    boolean isUsable(String keyId) {
        String now = Times.iso(clock);
        return db.read(c -> queryString(c, "SELECT id FROM api_keys WHERE id=? AND active=1"
                + " AND (expires_at IS NULL OR expires_at > ?)", keyId, now)) != null;
    }

    ObjectNode list(String userUUID) {
        ObjectNode out = Http.object();
        ArrayNode keys = out.putArray("apiKeys");
        db.read(c -> {
            try (PreparedStatement ps = ServerDatabase.prepare(c, "SELECT id, name, permissions, active, created_at,"
                    + " expires_at, last_used_at, prefix FROM api_keys WHERE user_uuid=? ORDER BY created_at, id", userUUID);
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.addObject().put("id", rs.getString(1)).put("name", rs.getString(2))
                            .put("permissions", rs.getString(3)).put("active", rs.getInt(4) != 0)
                            .put("createdAt", rs.getString(5)).put("expiresAt", rs.getString(6))
                            .put("lastUsedAt", rs.getString(7)).put("prefix", rs.getString(8));
                }
            }
            return null;
        });
        return out;
    }

    /** A new key; the reply is the only place its secret ever appears. */
    ObjectNode create(String userUUID, Body body) {
        String name = body.string("name", 64).strip();
        if (name.isEmpty()) {
            throw ApiError.badRequest("field 'name' must not be blank");
        }
        String permissions = permissions(body.raw("permissions"));
        Long expiresIn = body.optInteger("expiresIn", 60, MAX_EXPIRES_IN);
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        String id = UUID.randomUUID().toString();
        String created = Times.iso(clock);
        String expires = expiresIn == null ? null
                : Timestamps.of(clock.instant().plusSeconds(expiresIn));
        String prefix = secret.substring(0, PREFIX.length() + 6);
        db.write(c -> update(c, "INSERT INTO api_keys(id, user_uuid, name, permissions, secret_hash, prefix, active,"
                + " created_at, expires_at) VALUES(?,?,?,?,?,?,1,?,?)", id, userUUID, name, permissions, hash(secret),
                prefix, created, expires));
        ObjectNode out = Http.object();
        out.put("id", id).put("name", name).put("permissions", permissions).put("active", true)
                .put("createdAt", created).put("expiresAt", expires).putNull("lastUsedAt").put("prefix", prefix)
                .put("key", secret);
        return out;
    }

    /** {@code "read"} or {@code "read,send"}, from that string or a list of the words; absent means read only. */
    private static String permissions(JsonNode given) {
        if (given == null || given.isNull()) {
            return READ;
        }
        java.util.Set<String> words = new java.util.TreeSet<>();
        if (given.isTextual()) {
            for (String w : given.asText().split(",")) words.add(w.strip());
        } else if (given.isArray()) {
            for (JsonNode w : given) words.add(w.asText("").strip());
        } else {
            throw ApiError.badRequest("field 'permissions' must be \"read\" or \"read,send\"");
        }
        words.add(READ); // sending without reading is no use to a script: every key reads
        if (!java.util.Set.of(READ, "send").containsAll(words)) {
            throw ApiError.badRequest("field 'permissions' must be \"read\" or \"read,send\"");
        }
        return words.contains("send") ? READ_SEND : READ;
    }

    /** Pauses or resumes one of the caller's keys; a 404 for a key that is not theirs. */
    ObjectNode setActive(String userUUID, String id, Body body) {
        JsonNode active = body.raw("active");
        if (active == null || !active.isBoolean()) {
            throw ApiError.badRequest("field 'active' must be true or false");
        }
        int changed = db.write(c -> update(c, "UPDATE api_keys SET active=? WHERE id=? AND user_uuid=?",
                active.asBoolean() ? 1 : 0, id, userUUID));
        if (changed == 0) {
            throw ApiError.notFound("API key " + id + " not found");
        }
        return Http.object().put("id", id).put("active", active.asBoolean());
    }

    /** Revokes (deletes) one of the caller's keys: it stops working at once and is never listed again. */
    ObjectNode revoke(String userUUID, String id) {
        int changed = db.write(c -> update(c, "DELETE FROM api_keys WHERE id=? AND user_uuid=?", id, userUUID));
        if (changed == 0) {
            throw ApiError.notFound("API key " + id + " not found");
        }
        return Http.object().put("id", id).put("revoked", true);
    }

}
