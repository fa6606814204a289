package dev.novyse.server;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

/**
 * Presigned file URLs, the self-hosted stand-in for the public API's S3 URLs: {@code /files/upload/<fileUUID>} and
 * {@code /files/download/<fileUUID>}, each with {@code exp} (epoch seconds) and {@code sig}, the base64url
 * HMAC-SHA256 of {@code "<METHOD> <fileUUID> <exp>"}. Like an S3 URL it is a bearer capability for one method on one
 * file until it expires; the signing key is derived from the server's token secret with its own label, so a token
 * signature can never pass as a URL signature or the other way round.
 */
final class FileUrls {
    static final Duration UPLOAD_LIFETIME = Duration.ofHours(1);
    static final Duration DOWNLOAD_LIFETIME = Duration.ofMinutes(15);

    enum Verdict { VALID, INVALID, EXPIRED }

    record Signed(String pathAndQuery, Instant expiresAt) {
    }

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private final byte[] key;
    private final Clock clock;

    FileUrls(byte[] serverSecret, Clock clock) {
        this.key = hmac(serverSecret, "novyse file URLs v1".getBytes(StandardCharsets.US_ASCII));
        this.clock = clock;
    }

    Signed upload(String fileUUID) {
        return sign("PUT", "/files/upload/", fileUUID, UPLOAD_LIFETIME);
    }

    Signed download(String fileUUID) {
        return sign("GET", "/files/download/", fileUUID, DOWNLOAD_LIFETIME);
    }

    private Signed sign(String method, String prefix, String fileUUID, Duration lifetime) {
        // Whole seconds: exp travels as an integer, and the reply's expiresAt must be the instant actually signed.
        Instant exp = clock.instant().plus(lifetime).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long e = exp.getEpochSecond();
        return new Signed(prefix + fileUUID + "?exp=" + e + "&sig=" + signature(method, fileUUID, e), exp);
    }

    /** Checks a request's {@code exp} and {@code sig}; a missing or unparsable parameter is INVALID. */
    Verdict check(String method, String fileUUID, String exp, String sig) {
        if (exp == null || sig == null) {
            return Verdict.INVALID;
        }
        long e;
        try {
            e = Long.parseLong(exp);
        } catch (NumberFormatException ex) {
            return Verdict.INVALID;
        }
        byte[] expected = signature(method, fileUUID, e).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) {
            return Verdict.INVALID;
        }
        return clock.instant().getEpochSecond() < e ? Verdict.VALID : Verdict.EXPIRED;
    }

    private String signature(String method, String fileUUID, long exp) {
        return B64.encodeToString(hmac(key, (method + " " + fileUUID + " " + exp).getBytes(StandardCharsets.UTF_8)));
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }
}
