package dev.rankcluster.server.system;

import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by server and clients ({@code rank.cluster.*}, env {@code RANK_CLUSTER_TOKEN}).
 *
 * @param token when set, registration needs it as a bearer token and every delivery is signed with it
 */
@ConfigurationProperties("rank.cluster")
public record ClusterProperties(String token) {

    public ClusterProperties {
        if (token != null && token.isBlank()) {
            token = null;
        }
    }

    public Optional<String> clusterToken() {
        return Optional.ofNullable(token);
    }

    @Override
    public String toString() {
        return "ClusterProperties[token=%s]".formatted(token == null ? "unset" : "set");
    }
}
