package dev.rankcluster.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/** The dashboard in a real browser against the real server: members and commands go through the HTTP API. */
@ExtendWith(SharedChromium.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "rank.server.admin-token=" + DashboardBrowserTests.ADMIN_TOKEN,
        // Nothing heartbeats here: leases must outlast the tests.
        "rank.server.lease-ttl=5m",
        "rank.server.max-failed-deliveries=3"})
class DashboardBrowserTests {

    static final String ADMIN_TOKEN = "dashboard-test-admin-token";

    /** Every run's screenshots, relative to the module directory where Maven runs the tests. */
    private static final Path SCREENSHOTS = Path.of("target", "dashboard");

    private static WebDriver browser;

    @LocalServerPort
    private int port;

    private final List<CommandReceiver> receivers = new ArrayList<>();
    private final List<MemberSocket> sessions = new ArrayList<>();
    private String baseUrl;
    private RankServerApi api;
    private DashboardPage page;

    @BeforeAll
    static void useBrowser(WebDriver sharedBrowser) {
        browser = sharedBrowser;
    }

    @BeforeEach
    void openDashboardOnEmptyCluster() {
        baseUrl = "http://127.0.0.1:" + port;
        api = new RankServerApi(baseUrl, ADMIN_TOKEN);
        api.removeEveryone();
        page = DashboardPage.open(browser, baseUrl + "/");
    }

    @AfterEach
    void stopMembers() {
        if (!sessions.isEmpty()) {
            // Removed before their sessions close, so that no close is probed and taken for a dead member later.
            api.removeEveryone();
            sessions.forEach(MemberSocket::close);
        }
        receivers.forEach(CommandReceiver::close);
    }

    @Test
    void open_emptyCluster_showsLiveStreamAtServersEpochWithoutRows() {
        assertThat(page.connectionText()).isEqualTo("Live");
        assertThat(page.offlineBannerShown()).isFalse();
        assertThat(page.epoch()).isEqualTo(api.members().epoch());
        assertThat(page.rows()).isEmpty();
    }

    @Test
    void register_threeMembers_rowsAppearInRankOrder() {
        Registration first = join();
        Registration second = join();
        Registration third = join();

        awaitRows(List.of("0 " + first.address(), "1 " + second.address(), "2 " + third.address()));
        assertThat(page.lastChangeOf(third.address())).isEqualTo("joined");
        assertThat(page.epoch()).isEqualTo(api.members().epoch());
    }

    @Test
    void unregister_middleMember_rowGoesAndRankBelowMovesUp() {
        Registration first = join();
        Registration second = join();
        Registration third = join();
        awaitRows(List.of("0 " + first.address(), "1 " + second.address(), "2 " + third.address()));
        page.tagRowElements();

        api.unregister(second);

        awaitRows(List.of("0 " + first.address(), "1 " + third.address()));
        assertThat(page.addressesOfTaggedRows()).as("rows are updated in place, not rebuilt")
                .containsExactly(first.address(), third.address());
        assertThat(page.lastChangeOf(third.address())).isEqualTo("↑ from 2 · " + second.address() + " left");
        assertThat(page.lastChangeOf(first.address())).isEqualTo("joined");
    }

    @Test
    void session_memberOpensThenHangsUp_rowMarkedWhileItLastsAndTheDropLogged() {
        Registration onSession = join();
        Registration overHttp = join();
        awaitRowCount(2);
        assertThat(page.linkOf(onSession.address())).isEqualTo("HTTP");

        MemberSocket session = openSession(onSession);

        awaitLink(onSession, "session");
        assertThat(page.linkOf(overHttp.address())).isEqualTo("HTTP");
        assertThat(page.changeLog()).as("a session opening is not a ranking change")
                .noneMatch(entry -> entry.get("kind").equals("session"));

        session.hangUp();

        awaitLink(onSession, "HTTP");
        await().atMost(DashboardPage.SHOWN_WITHIN).untilAsserted(() -> assertThat(page.changeLog())
                .contains(Map.of("kind", "session", "text", onSession.address() + " lost its session")));
    }

    @Test
    void open_memberOnSessionSinceTheLastRankingChange_rowMarkedFromTheStart() {
        Registration onSession = join();
        Registration overHttp = join();
        // A page opened now gets the ranking as of its last change, when nobody was on a session yet; the
        // server keeps that first ranking and hands it to the pages that open later as well.
        page = DashboardPage.open(browser, baseUrl + "/");
        awaitRowCount(2);
        openSession(onSession);
        awaitLink(onSession, "session");

        page = DashboardPage.open(browser, baseUrl + "/");
        awaitRowCount(2);

        awaitLink(onSession, "session");
        assertThat(page.linkOf(overHttp.address())).isEqualTo("HTTP");
    }

    @Test
    void sessionBreaks_nothingAnswersAtTheAddress_removedAsDisconnectedAndBelowMovesUp() {
        Registration first = join();
        CommandReceiver process = CommandReceiver.start();
        receivers.add(process);
        Registration killed = api.register(process.port());
        Registration third = join();
        MemberSocket session = openSession(killed);
        awaitRows(List.of("0 " + first.address(), "1 " + killed.address(), "2 " + third.address()));
        awaitLink(killed, "session");

        // As kill -KILL does: the port stops answering and the connection breaks without a close frame.
        process.close();
        session.abort();

        await("the server removes the member").atMost(Duration.ofSeconds(5)).until(() -> api.members().members()
                .stream().noneMatch(member -> member.id().equals(killed.id())));
        awaitRows(List.of("0 " + first.address(), "1 " + third.address()));
        assertThat(page.lastChangeOf(third.address())).isEqualTo("↑ from 2 · " + killed.address() + " disconnected");
        // The session's close and the removal may reach the page in either order.
        await().atMost(DashboardPage.SHOWN_WITHIN).untilAsserted(() -> assertThat(page.changeLog()).contains(
                Map.of("kind", "disconnected", "text", killed.address() + " disconnected · 1 member promoted"),
                Map.of("kind", "session", "text", killed.address() + " lost its session")));
    }

    @Test
    void sendCommand_fromEachRank_appearsNewestFirstWithItsTargets() {
        Registration top = join();
        Registration middle = join();
        join();
        awaitRowCount(3);

        CommandReport fromTop = api.send(top, "flush-cache");
        CommandReport fromMiddle = api.send(middle, "reload-config");

        await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> page.commands().size() == 2);
        List<Map<String, Object>> flow = page.commands();
        assertThat(flow.get(0)).containsEntry("commandId", fromMiddle.commandId())
                .containsEntry("targets", "1 lower rank")
                .containsEntry("delivered", "1 delivered")
                .containsEntry("failed", "0 failed");
        assertThat(flow.get(1)).containsEntry("commandId", fromTop.commandId())
                .containsEntry("targets", "2 lower ranks")
                .containsEntry("delivered", "2 delivered")
                .containsEntry("failed", "0 failed");
        assertThat((String) flow.get(1).get("text")).contains("rank 0", top.address(), "flush-cache")
                .as("the sender's rank reads as a rank, not a command number").doesNotContain("#");
    }

    @Test
    void open_membersRankedBeforeThePageOpened_inRankForIsUnknownUntilTheirRankChanges() {
        Registration first = join();
        Registration second = join();
        page = DashboardPage.open(browser, "http://127.0.0.1:" + port + "/");
        awaitRowCount(2);

        assertThat(page.inRankForOf(first.address())).isEqualTo("—");
        assertThat(page.inRankForOf(second.address())).isEqualTo("—");

        api.unregister(first);

        await().atMost(DashboardPage.SHOWN_WITHIN)
                .untilAsserted(() -> assertThat(page.inRankForOf(second.address())).matches("\\d+s"));
    }

    @Test
    void open_serverWithAdminToken_removalOfferedAndNoDeveloperNotes() {
        join();
        awaitRowCount(1);

        assertThat(page.removalShown()).isTrue();
        assertThat(page.pageText()).doesNotContain("Leases are renewed").doesNotContain("events stream, so");
    }

    @Test
    void layout_at1280And1920_reasonsReadableWithoutHoveringAndNoSidewaysScroll() throws IOException {
        List<Registration> members = new ArrayList<>(List.of(join(), join(), join(), join()));
        awaitRowCount(4);
        page.enterAdminToken(ADMIN_TOKEN);
        page.remove(members.get(0).address());
        awaitRowCount(3);
        // The sender alone on a session: deliveries go to the ranks below it, which take them over HTTP.
        openSession(members.get(1));
        awaitLink(members.get(1), "session");
        api.send(members.get(1), "rotate-logs");
        String reason = "↑ from 3 · " + members.get(0).address() + " removed by admin";
        await().atMost(DashboardPage.SHOWN_WITHIN)
                .until(() -> page.lastChangeOf(members.get(3).address()).equals(reason));

        for (int width : new int[] {1280, 1920}) {
            browser.manage().window().setSize(new Dimension(width, 900));
            try {
                await().atMost(DashboardPage.SHOWN_WITHIN).untilAsserted(() -> {
                    assertThat(page.cutOffCells()).as("cut-off cells at %d px", width).isEmpty();
                    assertThat(page.scrollsSideways()).as("sideways scroll at %d px", width).isFalse();
                });
                assertThat(page.lastChangeOf(members.get(3).address())).isEqualTo(reason);
                screenshot("dashboard-" + width + ".png");
            } finally {
                browser.manage().window().setSize(new Dimension(1440, 880));
            }
        }
    }

    @Test
    void remove_withAdminToken_memberDisappearsAndNextIsPromoted() {
        Registration first = join();
        Registration second = join();
        awaitRowCount(2);

        page.enterAdminToken(ADMIN_TOKEN);
        page.remove(first.address());

        awaitRows(List.of("0 " + second.address()));
        assertThat(page.removalMessage()).isEqualTo("Removed " + first.address() + ".");
        assertThat(page.lastChangeOf(second.address()))
                .isEqualTo("↑ from 1 · " + first.address() + " removed by admin");
        assertThat(api.members().members()).extracting(RankedMember::id).containsExactly(second.id());
    }

    @Test
    void remove_withWrongAdminToken_showsErrorAndRemovesNothing() {
        Registration member = join();
        awaitRowCount(1);
        long epoch = api.members().epoch();

        page.enterAdminToken("not-the-admin-token");
        page.remove(member.address());

        await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> !page.removalMessage().isEmpty());
        assertThat(page.removalMessageKind()).isEqualTo("error");
        assertThat(page.removalMessage()).startsWith("Could not remove " + member.address() + ": ");
        assertThat(api.members().epoch()).isEqualTo(epoch);
        assertThat(api.members().members()).extracting(RankedMember::id).containsExactly(member.id());
        assertThat(page.rows()).containsExactly("0 " + member.address());
    }

    @Test
    void remove_withoutAdminToken_asksForTheTokenAndRemovesNothing() {
        Registration member = join();
        awaitRowCount(1);

        page.remove(member.address());

        assertThat(page.removalMessage()).isEqualTo("Enter the admin token first: removing a member needs it.");
        assertThat(api.members().members()).extracting(RankedMember::id).containsExactly(member.id());
    }

    @Test
    void dashboard_withMembersAndCommands_isSavedForTheReadme() throws IOException {
        // Spread over a few of the chart's seconds, so that the screenshot shows it moving.
        List<Registration> members = new ArrayList<>(List.of(join(), join()));
        page.awaitNextChartSecond();
        members.addAll(List.of(join(), join()));
        page.awaitNextChartSecond();
        members.add(join());
        Registration silent = api.register(closedPort());
        awaitRowCount(6);
        // Most members keep a session, as clients do; the one at rank 1 renews and takes deliveries over HTTP.
        for (Registration member : List.of(members.get(0), members.get(2), members.get(4))) {
            openSession(member);
            awaitLink(member, "session");
        }
        page.awaitNextChartSecond();

        // Three failed deliveries in a row make the silent member unreachable; then one member leaves.
        api.send(members.get(0), "flush-cache");
        page.awaitNextChartSecond();
        api.send(members.get(2), "reload-config");
        page.awaitNextChartSecond();
        CommandReport withFailure = api.send(members.get(1), "rotate-logs");
        api.unregister(members.get(3));

        awaitRows(List.of("0 " + members.get(0).address(), "1 " + members.get(1).address(),
                "2 " + members.get(2).address(), "3 " + members.get(4).address()));
        await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> page.commands().size() == 3);
        assertThat(page.commands().get(0)).containsEntry("commandId", withFailure.commandId())
                .containsEntry("targets", "4 lower ranks")
                .containsEntry("delivered", "3 delivered")
                .containsEntry("failed", "1 failed");
        assertThat((String) page.commands().get(0).get("text")).contains(silent.address());
        page.awaitNextChartSecond();
        byte[] png = screenshot("dashboard.png");
        // The README's picture changes only when asked for: -Ddashboard.screenshot=images/dashboard.png
        String readmeCopy = System.getProperty("dashboard.screenshot");
        if (readmeCopy != null && !readmeCopy.isBlank()) {
            Path target = Path.of("..").resolve(readmeCopy);
            Files.createDirectories(target.toAbsolutePath().getParent());
            Files.write(target, png);
        }
    }

    private byte[] screenshot(String name) throws IOException {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        Files.createDirectories(SCREENSHOTS);
        Files.write(SCREENSHOTS.resolve(name), png);
        return png;
    }

    private Registration join() {
        CommandReceiver receiver = CommandReceiver.start();
        receivers.add(receiver);
        return api.register(receiver.port());
    }

    private MemberSocket openSession(Registration member) {
        MemberSocket session = MemberSocket.open(baseUrl, member);
        sessions.add(session);
        return session;
    }

    private void awaitLink(Registration member, String link) {
        await().atMost(DashboardPage.SHOWN_WITHIN)
                .untilAsserted(() -> assertThat(page.linkOf(member.address())).isEqualTo(link));
    }

    /** A loopback port nobody listens on: deliveries to it fail at once. */
    private static int closedPort() {
        try (CommandReceiver gone = CommandReceiver.start()) {
            return gone.port();
        }
    }

    private void awaitRows(List<String> expected) {
        await().atMost(DashboardPage.SHOWN_WITHIN).untilAsserted(() -> assertThat(page.rows()).isEqualTo(expected));
    }

    private void awaitRowCount(int count) {
        await().atMost(DashboardPage.SHOWN_WITHIN).until(() -> page.rows().size() == count);
    }
}
