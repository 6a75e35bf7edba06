package dev.rankcluster.client.system;

import dev.rankcluster.model.CommandText;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of a rank client ({@code rank.client.*}), checked at start-up: a bad value stops the client with a
 * message naming the property. The checks are plain code rather than Bean Validation: its provider alone would add
 * some 650 classes and 6 MB of resident memory to every client.
 *
 * @param serverUrl         base URL of the rank server (env {@code RANK_CLIENT_SERVER_URL}), or several separated by
 *                          commas: servers sharing one store; an unreachable one fails over to the next
 * @param advertisedPort    port sent in the registration; unset means the port this client's web server listens on
 * @param advertisedHost    host sent in the registration (honoured only by a server that trusts advertised hosts)
 * @param sendEnabled       whether this client sends random commands at all
 * @param sendIntervalMin   shortest pause between two commands
 * @param sendIntervalMax   longest pause between two commands
 * @param commands          the commands to pick from at random
 * @param requestTimeout    connect and answer timeout of every call to the server
 * @param unregisterTimeout connect and answer timeout of the unregistration at shutdown
 * @param sessionEnabled    whether to keep a session (a WebSocket) with the server for lease renewals and
 *                          deliveries; off, the lease is renewed with HTTP heartbeats and deliveries come over HTTP
 */
@ConfigurationProperties("rank.client")
public record RankClientProperties(
        @DefaultValue("http://localhost:8080") List<URI> serverUrl,
        Integer advertisedPort,
        String advertisedHost,
        @DefaultValue("true") boolean sendEnabled,
        @DefaultValue("5s") Duration sendIntervalMin,
        @DefaultValue("15s") Duration sendIntervalMax,
        @DefaultValue({"flush-cache", "rotate-logs", "reload-config", "ping", "compact-storage"}) List<String> commands,
        @DefaultValue("5s") Duration requestTimeout,
        @DefaultValue("2s") Duration unregisterTimeout,
        @DefaultValue("true") boolean sessionEnabled) {

    public RankClientProperties {
        require(serverUrl != null && !serverUrl.isEmpty(), "rank.client.server-url must name at least one server");
        require(serverUrl.stream().allMatch(RankClientProperties::isHttp), "rank.client.server-url must be absolute "
                + "http or https URLs with a port from 1 to 65535 if any, such as http://localhost:8080 (several: "
                + "comma-separated), got " + serverUrl);
        require(advertisedPort == null || (advertisedPort >= 1 && advertisedPort <= 65535),
                "rank.client.advertised-port must be 1 to 65535, got " + advertisedPort);
        require(sendIntervalMin != null && sendIntervalMax != null
                        && sendIntervalMin.isPositive() && sendIntervalMax.compareTo(sendIntervalMin) >= 0,
                "rank.client.send-interval-min must be positive and send-interval-max at least send-interval-min, "
                        + "got %s and %s".formatted(sendIntervalMin, sendIntervalMax));
        require(commands != null && !commands.isEmpty(), "rank.client.commands must hold at least one command");
        for (String command : commands) {
            CommandText.problemWith(command).ifPresent(problem -> {
                throw new IllegalArgumentException(
                        "rank.client.commands: every command must be 1 to 256 printable characters; " + problem);
            });
        }
        require(requestTimeout != null && requestTimeout.isPositive(),
                "rank.client.request-timeout must be positive, got " + requestTimeout);
        require(unregisterTimeout != null && unregisterTimeout.isPositive(),
                "rank.client.unregister-timeout must be positive, got " + unregisterTimeout);
        serverUrl = List.copyOf(serverUrl);
        commands = List.copyOf(commands);
        advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? null : advertisedHost.strip();
    }

    public OptionalInt advertisedPortIfSet() {
        return advertisedPort == null ? OptionalInt.empty() : OptionalInt.of(advertisedPort);
    }

    private static boolean isHttp(URI url) {
        return SettingsCheck.isServerUrl(url.toString());
    }

    private static void require(boolean valid, String message) {
        if (!valid) {
            throw new IllegalArgumentException(message);
        }
    }
}
