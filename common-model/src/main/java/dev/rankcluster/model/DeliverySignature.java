package dev.rankcluster.model;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies the deliveries to one member: {@code sha256=<hex HMAC-SHA256(deliveryKey, timestamp + "." +
 * body)>}. The delivery key is {@code HMAC-SHA256(lease token, "rank-cluster/delivery-key")}: only the server and
 * the member holding that lease token know it, so no other member can forge or redirect a delivery to it.
 * Keys and messages are UTF-8 bytes. Thread-safe.
 */
public final class DeliverySignature {

    public static final String PREFIX = "sha256=";

    /** How far a delivery's timestamp may be from the receiver's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

    /** Length in bytes of a delivery key. */
    public static final int KEY_LENGTH = 32;

    private static final String ALGORITHM = "HmacSHA256";
    private static final byte[] KEY_LABEL = "rank-cluster/delivery-key".getBytes(StandardCharsets.UTF_8);
    /** Cloned and keyed for each use: looking the algorithm up in the providers every time is dear. */
    private static final Mac UNKEYED = lookUp();

    /** Initialised with the key once and cloned for each signature. */
    private final Mac keyed;

    private DeliverySignature(byte[] deliveryKey) {
        if (deliveryKey.length != KEY_LENGTH) {
            throw new IllegalArgumentException("a delivery key is %d bytes, got %d".formatted(KEY_LENGTH, deliveryKey.length));
        }
        this.keyed = keyedWith(deliveryKey);
    }

    /** The signature of deliveries to the member that holds {@code deliveryKey} ({@link #deliveryKey(String)}). */
    public static DeliverySignature withKey(byte[] deliveryKey) {
        return new DeliverySignature(Objects.requireNonNull(deliveryKey, "deliveryKey"));
    }

    /** The signature of deliveries to the member that holds {@code leaseToken}. */
    public static DeliverySignature forLeaseToken(String leaseToken) {
        return new DeliverySignature(deliveryKey(leaseToken));
    }

    /** {@code HMAC-SHA256(key = leaseToken, message = "rank-cluster/delivery-key")}: 32 raw bytes. */
    public static byte[] deliveryKey(String leaseToken) {
        Objects.requireNonNull(leaseToken, "leaseToken");
        if (leaseToken.isEmpty()) {
            throw new IllegalArgumentException("lease token must not be empty");
        }
        return keyedWith(leaseToken.getBytes(StandardCharsets.UTF_8)).doFinal(KEY_LABEL);
    }

    /** The {@code X-Rank-Signature} value for a body sent at {@code timestampMillis}. */
    public String sign(long timestampMillis, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(timestampMillis, body));
    }

    public String sign(long timestampMillis, String body) {
        return sign(timestampMillis, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code signature} is this key's signature of the body; compared in constant time. */
    public boolean matches(long timestampMillis, byte[] body, String signature) {
        if (signature == null || !signature.startsWith(PREFIX)) {
            return false;
        }
        byte[] claimed;
        try {
            claimed = HexFormat.of().parseHex(signature.substring(PREFIX.length()));
        } catch (IllegalArgumentException notHex) {
            return false;
        }
        return MessageDigest.isEqual(mac(timestampMillis, body), claimed);
    }

    /** Whether a timestamp is within {@link #MAX_CLOCK_SKEW} of {@code nowMillis}, either way. */
    public static boolean isFresh(long timestampMillis, long nowMillis) {
        return Math.abs(nowMillis - timestampMillis) <= MAX_CLOCK_SKEW.toMillis();
    }

    private byte[] mac(long timestampMillis, byte[] body) {
        Mac mac = copyOf(keyed);
        mac.update((timestampMillis + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }

    private static Mac keyedWith(byte[] key) {
        Mac mac = copyOf(UNKEYED);
        try {
            mac.init(new SecretKeySpec(key, ALGORITHM));
        } catch (InvalidKeyException e) {
            throw new IllegalArgumentException("not an HMAC key", e);
        }
        return mac;
    }

    private static Mac copyOf(Mac mac) {
        try {
            return (Mac) mac.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's HmacSHA256 can be cloned", e);
        }
    }

    private static Mac lookUp() {
        try {
            return Mac.getInstance(ALGORITHM);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DeliverySignature[key hidden]";
    }
}
