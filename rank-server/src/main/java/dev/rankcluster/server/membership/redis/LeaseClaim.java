package dev.rankcluster.server.membership.redis;

/** A member's request to renew its lease with the token it holds. Equal claims are one question to Redis. */
record LeaseClaim(String memberId, String leaseToken) {

    /** Without the token: lease tokens are never logged. */
    @Override
    public String toString() {
        return "LeaseClaim[" + memberId + "]";
    }
}
