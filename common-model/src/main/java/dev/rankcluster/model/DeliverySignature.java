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
 * Signs and verifies server-to-client deliveries: {@code sha256=<hex HMAC-SHA256(token, timestamp + "." + body)>},
 * key and message as UTF-8 bytes. One instance per cluster token; thread-safe.
 */
public final class DeliverySignature {

    public static final String PREFIX = "sha256=";

    /** How far a delivery's timestamp may be from the receiver's clock, either way. */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofSeconds(30);

    private static final String ALGORITHM = "HmacSHA256";

    private final SecretKeySpec key;
    /** Initialised with the key once and cloned for each signature: a provider lookup per delivery is dear. */
    private final Mac keyed;

    public DeliverySignature(String clusterToken) {
        Objects.requireNonNull(clusterToken, "clusterToken");
        if (clusterToken.isEmpty()) {
            throw new IllegalArgumentException("cluster token must not be empty");
        }
        this.key = new SecretKeySpec(clusterToken.getBytes(StandardCharsets.UTF_8), ALGORITHM);
        this.keyed = newMac();
    }

    /** The {@code X-Rank-Signature} value for a body sent at {@code timestampMillis}. */
    public String sign(long timestampMillis, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(mac(timestampMillis, body));
    }

    public String sign(long timestampMillis, String body) {
        return sign(timestampMillis, body.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code signature} is this token's signature of the body; compared in constant time. */
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
        Mac mac;
        try {
            mac = (Mac) keyed.clone();
        } catch (CloneNotSupportedException notCloneable) {
            mac = newMac();
        }
        mac.update((timestampMillis + ".").getBytes(StandardCharsets.UTF_8));
        return mac.doFinal(body);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    @Override
    public String toString() {
        return "DeliverySignature[key hidden]";
    }
}
