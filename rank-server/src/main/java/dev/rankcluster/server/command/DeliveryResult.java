package dev.rankcluster.server.command;

import dev.rankcluster.model.RankedMember;

/** How one delivery ended; {@code reason} is null when it was delivered. */
record DeliveryResult(RankedMember target, String reason) {

    static DeliveryResult delivered(RankedMember target) {
        return new DeliveryResult(target, null);
    }

    static DeliveryResult failed(RankedMember target, String reason) {
        return new DeliveryResult(target, reason);
    }

    boolean isDelivered() {
        return reason == null;
    }
}
