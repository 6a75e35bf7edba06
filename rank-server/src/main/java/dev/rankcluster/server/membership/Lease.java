package dev.rankcluster.server.membership;

import java.security.MessageDigest;

/**
 * The value of a member's entry in the lease cache. Every renewal writes a new entry, which starts a
 * full expire-after-write TTL.
 */
final class Lease {

    private final byte[] tokenHash;

    private Lease(byte[] tokenHash) {
        this.tokenHash = tokenHash;
    }

    static Lease of(String token) {
        return new Lease(LeaseTokens.hash(token));
    }

    /** The lease a request's token would prove, hashed once before the membership's lock; null for no token. */
    static Lease presentedBy(String token) {
        return token == null ? null : of(token);
    }

    /** Whether {@code presented} holds the same token; compared in constant time. */
    boolean isProvenBy(Lease presented) {
        return presented != null && MessageDigest.isEqual(tokenHash, presented.tokenHash);
    }

    Lease renewed() {
        return new Lease(tokenHash);
    }

    @Override
    public String toString() {
        return "Lease[token hidden]";
    }
}
