package dev.rankcluster.model;

import java.util.Optional;

/**
 * How both apps read {@code rank.cluster.token} (env {@code RANK_CLUSTER_TOKEN}): unset, empty or blank all mean
 * "no token", so that a blank variable in a compose file never makes the server and its clients disagree.
 */
public final class ClusterToken {

    private ClusterToken() {
    }

    public static Optional<String> of(String configured) {
        return configured == null || configured.isBlank() ? Optional.empty() : Optional.of(configured);
    }
}
