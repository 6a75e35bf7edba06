package dev.rankcluster.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dashboard of a server without an admin token and with a short lease: what an operator sees of liveness. */
@ExtendWith(SharedChromium.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "rank.server.lease-ttl=6s")
class DashboardLivenessBrowserTests {

    @LocalServerPort
    private int port;

    private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopHeartbeats() {
        heartbeats.shutdownNow();
    }

    @Test
    void lastHeard_memberGoesQuiet_amberPastAThirdOfTheTtlBeforeItsLeaseExpires(WebDriver browser) {
        var api = new RankServerApi("http://127.0.0.1:" + port, null);
        Registration alive = api.register(40001);
        Registration quiet = api.register(40002);
        heartbeats.scheduleAtFixedRate(() -> api.renew(alive), 500, 500, TimeUnit.MILLISECONDS);
        var page = DashboardPage.open(browser, "http://127.0.0.1:" + port + "/");

        await().atMost(Duration.ofSeconds(5)).until(() -> page.lastHeardStale(quiet.address()));

        assertThat(api.members().members()).as("still within its lease").extracting(m -> m.address())
                .contains(quiet.address());
        assertThat(page.lastHeardOf(quiet.address())).matches("\\d+s ago");
        assertThat(page.lastHeardStale(alive.address())).isFalse();
        assertThat(page.lastHeardOf(alive.address())).isIn("0s ago", "1s ago");
    }

    @Test
    void open_serverWithoutAdminToken_noRemoveButtonsNorTokenField(WebDriver browser) {
        var api = new RankServerApi("http://127.0.0.1:" + port, null);
        api.register(40003);
        var page = DashboardPage.open(browser, "http://127.0.0.1:" + port + "/");
        await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> page.rows().size() >= 1);

        await().atMost(DashboardPage.SHOWN_WITHIN).untilAsserted(() -> assertThat(page.removalShown()).isFalse());
    }
}
