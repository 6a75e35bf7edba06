package dev.rankcluster.model;

/**
 * Body of {@code POST /api/v1/members}. Boxed so that a missing port is told apart from port 0.
 *
 * @param port the port the client listens on for deliveries
 * @param host the advertised host, honoured only when the server trusts advertised hosts; may be null
 */
public record RegistrationRequest(Integer port, String host) {

    public static RegistrationRequest forPort(int port) {
        return new RegistrationRequest(port, null);
    }
}
