package dev.rankcluster.model;

import java.time.Instant;

/**
 * A command as the server delivers it to one client ({@code POST /api/v1/commands} on the client), signed for
 * that client alone. The client executes it only if it is addressed to its current registration
 * ({@code receiverId}) and arrives before {@code expiresAt}. Numbers are boxed so that a client can refuse a
 * delivery with missing fields.
 */
public record Delivery(String commandId, String command, String senderId, String senderAddress,
                       Integer senderRank, String receiverId, Integer receiverRank, Long epoch, Instant issuedAt,
                       Instant expiresAt) {
}
