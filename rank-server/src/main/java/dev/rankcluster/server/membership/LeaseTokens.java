package dev.rankcluster.server.membership;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/** Lease tokens: 256 random bits, URL-safe; the server keeps only their SHA-256 and compares in constant time. */
public final class LeaseTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Cloned for each hash: cheaper than looking the algorithm up in the providers every time. */
    private static final MessageDigest SHA_256 = sha256();

    private LeaseTokens() {
    }

    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static byte[] hash(String token) {
        MessageDigest digest;
        try {
            digest = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException notCloneable) {
            digest = sha256();
        }
        return digest.digest(token.getBytes(StandardCharsets.UTF_8));
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
