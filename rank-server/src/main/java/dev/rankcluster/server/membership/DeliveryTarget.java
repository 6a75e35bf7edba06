package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;

/**
 * A member a command goes to, with its delivery key: {@code HMAC-SHA256(its lease token, "rank-cluster/delivery-key")},
 * known only to the servers and that member.
 */
public record DeliveryTarget(RankedMember member, byte[] deliveryKey) {

    @Override
    public String toString() {
        return "DeliveryTarget[member=%s, key hidden]".formatted(member);
    }
}
