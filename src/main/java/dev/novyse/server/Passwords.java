package dev.novyse.server;

import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/** Salted, deliberately slow password hashing (PBKDF2-HMAC-SHA256, from the JDK). */
final class Passwords {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final int iterations;

    Passwords(int iterations) {
        this.iterations = iterations;
    }

    static byte[] newSalt() {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return salt;
    }

    byte[] hash(String password, byte[] salt) {
        try {
            PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2 unavailable", e);
        }
    }

    boolean matches(String password, byte[] salt, byte[] expected) {
        return MessageDigest.isEqual(hash(password, salt), expected);
    }
}
