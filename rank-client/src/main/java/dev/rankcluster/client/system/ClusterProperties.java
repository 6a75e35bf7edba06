package dev.rankcluster.client.system;

import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The cluster-wide shared secret ({@code rank.cluster.token}, env {@code RANK_CLUSTER_TOKEN}). It authenticates
 * this client's registrations and the server's signed deliveries; unset or empty means the cluster runs open.
 */
@ConfigurationProperties("rank.cluster")
public record ClusterProperties(String token) {

    public Optional<String> tokenIfSet() {
        return token == null || token.isEmpty() ? Optional.empty() : Optional.of(token);
    }

    @Override
    public String toString() {
        return "ClusterProperties[token %s]".formatted(tokenIfSet().isPresent() ? "set" : "unset");
    }
}
