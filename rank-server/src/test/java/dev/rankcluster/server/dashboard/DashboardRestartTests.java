package dev.rankcluster.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.Registration;
import dev.rankcluster.server.RankServerApplication;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/** The dashboard through a server restart: it says it is disconnected, then follows the new server by itself. */
@ExtendWith(SharedChromium.class)
class DashboardRestartTests {

    @Test
    void serverRestart_pageShowsDisconnectedThenTakesTheFreshSnapshot(WebDriver browser) throws IOException {
        int port = freePort();
        String baseUrl = "http://127.0.0.1:" + port;
        try (CommandReceiver first = CommandReceiver.start();
             CommandReceiver second = CommandReceiver.start();
             CommandReceiver third = CommandReceiver.start()) {
            DashboardPage page;
            try (ConfigurableApplicationContext server = startServer(port)) {
                RankServerApi api = new RankServerApi(baseUrl, null);
                api.register(first.port());
                api.register(second.port());
                page = DashboardPage.open(browser, baseUrl + "/");
                await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> page.rows().size() == 2);
                assertThat(page.epoch()).isEqualTo(2);
            }

            await().atMost(Duration.ofSeconds(5))
                    .until(() -> "reconnecting".equals(page.connectionState()) && page.offlineBannerShown());
            assertThat(page.connectionText()).isEqualTo("Disconnected — reconnecting…");
            assertThat(page.rows()).as("the last ranking seen stays on screen").hasSize(2);

            try (ConfigurableApplicationContext restarted = startServer(port)) {
                // The browser reconnects with Last-Event-ID 2, ahead of the new server: it gets epoch 0's snapshot.
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> "live".equals(page.connectionState()) && page.rows().isEmpty());
                assertThat(page.epoch()).isZero();
                assertThat(page.offlineBannerShown()).isFalse();

                Registration member = new RankServerApi(baseUrl, null).register(third.port());
                await().atMost(DashboardPage.SHOWN_WITHIN)
                        .until(() -> page.rows().equals(List.of("0 " + member.address())));
            }
        }
    }

    private static ConfigurableApplicationContext startServer(int port) {
        return new SpringApplicationBuilder(RankServerApplication.class).run(
                "--server.port=" + port, "--server.address=127.0.0.1",
                // Gone at once, as after a crash: the page must notice without the server saying goodbye.
                "--server.shutdown=immediate", "--spring.main.banner-mode=off");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
