package dev.rankcluster.server.system;

import dev.rankcluster.model.ClusterToken;
import java.util.Optional;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by server and clients ({@code rank.cluster.*}, env {@code RANK_CLUSTER_TOKEN}).
 *
 * @param token when set, registration needs it as a bearer token; unset or blank means registration is open
 *              ({@link ClusterToken}). Deliveries are signed per member whether or not it is set.
 */
@ConfigurationProperties("rank.cluster")
public record ClusterProperties(String token) {

    public Optional<String> clusterToken() {
        return ClusterToken.of(token);
    }

    @Override
    public String toString() {
        return "ClusterProperties[token=%s]".formatted(clusterToken().isPresent() ? "set" : "unset");
    }
}
