package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.net.URI;
import java.time.Duration;

import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Ranking;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.ComposeContainer;
import org.testcontainers.containers.ContainerState;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/** The compose file as users run it: images built, three clients ranked, one stopped with {@code docker stop}. */
@Testcontainers(disabledWithoutDocker = true)
class ComposeSmokeIT {

    /** The first build downloads every Maven dependency inside the build container. */
    private static final Duration BUILD_AND_START = Duration.ofMinutes(15);

    @Container
    static final ComposeContainer compose = new ComposeContainer(new File(System.getProperty("rank.compose.file")))
            .withBuild(true)
            .withExposedService("server-1", 8080, Wait.forHealthcheck().withStartupTimeout(BUILD_AND_START));

    private final JsonHttp http = new JsonHttp();

    @Test
    void up_threeClientsRanked_dockerStopOne_othersReRanked() {
        var members = URI.create("http://%s:%d/api/v1/members".formatted(
                compose.getServiceHost("server-1", 8080), compose.getServicePort("server-1", 8080)));
        await().atMost(Duration.ofMinutes(2)).untilAsserted(() ->
                assertThat(http.get(members, Ranking.class).members()).extracting(RankedMember::rank)
                        .containsExactly(0, 1, 2));

        var stopped = compose.getContainerByServiceName("client-2").orElseThrow();
        var stoppedAddress = ipAddress(stopped) + ":8080";
        assertThat(http.get(members, Ranking.class).members()).extracting(RankedMember::address).contains(stoppedAddress);

        DockerClientFactory.instance().client().stopContainerCmd(stopped.getContainerId()).exec();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            var ranking = http.get(members, Ranking.class).members();
            assertThat(ranking).extracting(RankedMember::rank).containsExactly(0, 1);
            assertThat(ranking).extracting(RankedMember::address).doesNotContain(stoppedAddress);
        });
    }

    private static String ipAddress(ContainerState container) {
        return container.getContainerInfo().getNetworkSettings().getNetworks().values().iterator().next().getIpAddress();
    }
}
