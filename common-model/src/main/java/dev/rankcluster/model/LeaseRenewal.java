package dev.rankcluster.model;

/** Answer to a heartbeat ({@code PUT /api/v1/members/{id}/lease}). */
public record LeaseRenewal(int rank, long epoch, long leaseTtlMs) {
}
