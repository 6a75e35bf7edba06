package dev.rankcluster.model;

import java.time.Instant;

/** Answer to {@code GET /api/v1/members/{id}}. */
public record MemberDetails(int rank, String id, String address, Instant joinedAt, long epoch) {
}
