package dev.rankcluster.server.membership;

import dev.rankcluster.model.RankedMember;
import java.util.List;

/**
 * An authenticated sender and the members its command goes to, all read at one epoch, each with the key that
 * signs deliveries for it alone.
 */
public record CommandTargets(RankedMember sender, long epoch, List<DeliveryTarget> deliveries) {

    public CommandTargets {
        deliveries = List.copyOf(deliveries);
    }

    public List<RankedMember> targets() {
        return deliveries.stream().map(DeliveryTarget::member).toList();
    }
}
