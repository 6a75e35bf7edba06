package dev.rankcluster.server.command;

import dev.rankcluster.model.RankedMember;

/** How one delivery ended; {@code reason} is null when it was delivered. */
record DeliveryResult(RankedMember target, String reason, Transport transport) {

    static DeliveryResult delivered(RankedMember target, Transport transport) {
        return new DeliveryResult(target, null, transport);
    }

    static DeliveryResult failed(RankedMember target, String reason, Transport transport) {
        return new DeliveryResult(target, reason, transport);
    }

    /** A member's refusal, worded alike whichever way it came: {@code HTTP 410 delivery-expired}. */
    static String refusal(int status, String problem) {
        return problem == null ? "HTTP " + status : "HTTP " + status + " " + problem;
    }

    boolean isDelivered() {
        return reason == null;
    }
}
