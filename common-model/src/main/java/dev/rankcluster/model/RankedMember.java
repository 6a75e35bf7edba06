package dev.rankcluster.model;

import java.time.Instant;

/** One row of a ranking. */
public record RankedMember(int rank, String id, String address, Instant joinedAt) {
}
