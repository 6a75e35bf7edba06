package dev.rankcluster.client.support;

import dev.rankcluster.client.system.RankClientProperties;
import java.net.URI;
import java.time.Duration;
import java.util.List;

/** Client settings for tests: short timeouts and intervals, sending off unless asked for. */
public final class TestProperties {

    private TestProperties() {
    }

    public static RankClientProperties clientOf(URI... serverUrls) {
        return new RankClientProperties(List.of(serverUrls), null, null, false, Duration.ofMillis(50), Duration.ofMillis(100),
                List.of("flush-cache", "ping"), Duration.ofSeconds(5), Duration.ofMillis(300), true);
    }

    public static RankClientProperties sendingTo(URI serverUrl, Duration min, Duration max, List<String> commands) {
        return new RankClientProperties(List.of(serverUrl), null, null, true, min, max, commands, Duration.ofSeconds(5),
                Duration.ofMillis(300), true);
    }
}
