package dev.rankcluster.model;

/**
 * Data of a {@code session} server-sent event: a member's session opened or closed.
 *
 * @param cause null when it opened; else why it closed: {@code left}, {@code dropped}, {@code replaced},
 *              {@code gone}, {@code invalid-frame}, {@code operator} or {@code shutdown}
 */
public record SessionEvent(String memberId, String address, boolean open, String cause) {
}
