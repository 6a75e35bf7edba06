package dev.rankcluster.model;

/** Names of the HTTP headers of the contract. */
public final class RankHeaders {

    /** Proves ownership of a registration. */
    public static final String LEASE_TOKEN = "X-Lease-Token";

    /** Epoch millis at which the server signed a delivery. */
    public static final String TIMESTAMP = "X-Rank-Timestamp";

    /** {@code sha256=<hex>} HMAC of a delivery, see {@link DeliverySignature}. */
    public static final String SIGNATURE = "X-Rank-Signature";

    private RankHeaders() {
    }
}
