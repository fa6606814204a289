package dev.novyse.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.novyse.protocol.Json;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * Short-lived bearer tokens: {@code base64url(claims).base64url(HMAC-SHA256)}. Claims are the user, the session
 * and the expiry; the session is checked on every use so logout and revocation take effect at once.
 */
final class Tokens {
    record Claims(String userUUID, long sessionId, Instant expiresAt) {
    }

    enum Verdict { VALID, INVALID, EXPIRED }

    record Checked(Verdict verdict, Claims claims) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();
    private final byte[] secret;

    Tokens(byte[] secret) {
        this.secret = secret.clone();
    }

    String issue(Claims claims) {
        ObjectNode node = Json.mapper().createObjectNode()
                .put("sub", claims.userUUID())
                .put("sid", claims.sessionId())
                .put("exp", claims.expiresAt().getEpochSecond());
        String body = B64.encodeToString(node.toString().getBytes(StandardCharsets.UTF_8));
        return body + "." + B64.encodeToString(sign(body));
    }

    Checked check(String token, Instant now) {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot == token.length() - 1) {
            return new Checked(Verdict.INVALID, null);
        }
        String body = token.substring(0, dot);
        try {
            byte[] given = B64D.decode(token.substring(dot + 1));
            if (!MessageDigest.isEqual(given, sign(body))) {
                return new Checked(Verdict.INVALID, null);
            }
            JsonNode claims = Json.mapper().readTree(B64D.decode(body));
            Claims c = new Claims(claims.path("sub").asText(), claims.path("sid").asLong(),
                    Instant.ofEpochSecond(claims.path("exp").asLong()));
            return new Checked(now.isBefore(c.expiresAt()) ? Verdict.VALID : Verdict.EXPIRED, c);
        } catch (IllegalArgumentException | java.io.IOException e) {
            return new Checked(Verdict.INVALID, null);
        }
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
