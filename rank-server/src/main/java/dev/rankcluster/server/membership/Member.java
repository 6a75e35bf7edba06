package dev.rankcluster.server.membership;

import java.time.Instant;

/**
 * A registered member as the ranking holds it: immutable for the member's whole life.
 *
 * @param sequence join order; a member's rank is the number of live members with a smaller sequence
 */
public record Member(String id, String address, Instant joinedAt, long sequence) {
}
