package dev.rankcluster.server.membership;

/** Whether one delivery reached its member: what the count of consecutive failed deliveries goes by. */
public record DeliveryOutcome(String memberId, boolean delivered) {
}
