package dev.rankcluster.client.system;

import dev.rankcluster.model.CommandText;
import jakarta.validation.constraints.AssertTrue;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of a rank client ({@code rank.client.*}), checked at start-up.
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
 */
@Validated
@ConfigurationProperties("rank.client")
public record RankClientProperties(
        @DefaultValue("http://localhost:8080") @NotEmpty List<URI> serverUrl,
        @Min(1) @Max(65535) Integer advertisedPort,
        String advertisedHost,
        @DefaultValue("true") boolean sendEnabled,
        @DefaultValue("5s") @NotNull Duration sendIntervalMin,
        @DefaultValue("15s") @NotNull Duration sendIntervalMax,
        @DefaultValue({"flush-cache", "rotate-logs", "reload-config", "ping", "compact-storage"})
        @NotEmpty List<String> commands,
        @DefaultValue("5s") @NotNull Duration requestTimeout,
        @DefaultValue("2s") @NotNull Duration unregisterTimeout) {

    public RankClientProperties {
        serverUrl = serverUrl == null ? null : List.copyOf(serverUrl);
        commands = commands == null ? null : List.copyOf(commands);
        advertisedHost = advertisedHost == null || advertisedHost.isBlank() ? null : advertisedHost.strip();
    }

    public OptionalInt advertisedPortIfSet() {
        return advertisedPort == null ? OptionalInt.empty() : OptionalInt.of(advertisedPort);
    }

    @AssertTrue(message = "must be absolute http or https URLs, such as http://localhost:8080 (several: comma-separated)")
    public boolean isServerUrlHttp() {
        return serverUrl == null || serverUrl.stream().allMatch(url -> url.isAbsolute() && url.getHost() != null
                && ("http".equals(url.getScheme()) || "https".equals(url.getScheme())));
    }

    @AssertTrue(message = "send-interval-min must be positive and send-interval-max at least send-interval-min")
    public boolean isSendIntervalOrdered() {
        return sendIntervalMin == null || sendIntervalMax == null
                || (sendIntervalMin.isPositive() && sendIntervalMax.compareTo(sendIntervalMin) >= 0);
    }

    @AssertTrue(message = "every command must be 1 to 256 printable characters")
    public boolean isCommandsValid() {
        return commands == null || commands.stream().allMatch(command -> CommandText.problemWith(command).isEmpty());
    }

    @AssertTrue(message = "request-timeout and unregister-timeout must be positive")
    public boolean isTimeoutsPositive() {
        return (requestTimeout == null || requestTimeout.isPositive())
                && (unregisterTimeout == null || unregisterTimeout.isPositive());
    }
}
