package dev.rankcluster.server.session;

import dev.rankcluster.model.LeaseRenewal;
import java.util.concurrent.CompletableFuture;

/**
 * Renews the leases of members on a session. The memory store renews each at once; a shared store renews them in
 * batches, so that a session's frame does not cost a round trip to the store.
 */
public interface SessionLeases {

    /**
     * Completes with the renewal, or with the membership's problem ({@code not-found} when the lease is gone,
     * {@code forbidden} when the token no longer holds it).
     */
    CompletableFuture<LeaseRenewal> renew(String memberId, String leaseToken);
}
