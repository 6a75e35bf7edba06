package dev.rankcluster.model;

/** A delivery of a command that did not succeed, and why. */
public record FailedDelivery(String memberId, String address, String reason) {
}
