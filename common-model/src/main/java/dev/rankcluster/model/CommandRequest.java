package dev.rankcluster.model;

/**
 * Body of {@code POST /api/v1/commands} on the server.
 *
 * @param targetId a single lower-ranked member to reach, or null for every lower rank
 */
public record CommandRequest(String senderId, String command, String targetId) {

    public static CommandRequest toAllBelow(String senderId, String command) {
        return new CommandRequest(senderId, command, null);
    }
}
