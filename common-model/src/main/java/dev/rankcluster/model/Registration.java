package dev.rankcluster.model;

/** Answer to a registration: the member's identity, its rank and the lease token that proves ownership. */
public record Registration(String id, String address, int rank, String leaseToken, long leaseTtlMs, long epoch) {

    @Override
    public String toString() {
        // The lease token is a secret: keep it out of logs and assertion messages.
        return "Registration[id=%s, address=%s, rank=%d, leaseTtlMs=%d, epoch=%d]"
                .formatted(id, address, rank, leaseTtlMs, epoch);
    }
}
