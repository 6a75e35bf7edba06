package dev.rankcluster.model;

import java.time.Instant;

/** A delivery a client executed, as listed by {@code GET /api/v1/commands} on the client. */
public record ExecutedCommand(String commandId, String command, String senderAddress, int senderRank,
                              int receiverRank, long epoch, Instant executedAt) {

    public static ExecutedCommand of(Delivery delivery, Instant executedAt) {
        return new ExecutedCommand(delivery.commandId(), delivery.command(), delivery.senderAddress(),
                delivery.senderRank(), delivery.receiverRank(), delivery.epoch(), executedAt);
    }
}
