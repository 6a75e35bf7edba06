package dev.rankcluster.model;

import java.time.Instant;

/**
 * A command as the server delivers it to one client ({@code POST /api/v1/commands} on the client).
 * Numbers are boxed so that a client can refuse a delivery with missing fields.
 */
public record Delivery(String commandId, String command, String senderId, String senderAddress,
                       Integer senderRank, Integer receiverRank, Long epoch, Instant issuedAt) {
}
