package dev.rankcluster.client.system;

import dev.rankcluster.model.ClusterToken;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The cluster-wide shared secret ({@code rank.cluster.token}, env {@code RANK_CLUSTER_TOKEN}): this client presents
 * it when it registers. Unset or blank means the cluster runs open ({@link ClusterToken}).
 */
@ConfigurationProperties("rank.cluster")
public record ClusterProperties(String token) {

    public Optional<String> tokenIfSet() {
        return ClusterToken.of(token);
    }

    @Override
    public String toString() {
        return "ClusterProperties[token %s]".formatted(tokenIfSet().isPresent() ? "set" : "unset");
    }
}
