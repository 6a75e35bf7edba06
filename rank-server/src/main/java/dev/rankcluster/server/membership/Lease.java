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

    boolean isProvenBy(String token) {
        return token != null && MessageDigest.isEqual(tokenHash, LeaseTokens.hash(token));
    }

    Lease renewed() {
        return new Lease(tokenHash);
    }

    @Override
    public String toString() {
        return "Lease[token hidden]";
    }
}
