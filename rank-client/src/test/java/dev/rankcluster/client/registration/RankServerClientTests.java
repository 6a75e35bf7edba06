package dev.rankcluster.client.registration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.client.support.FakeRankServer;
import dev.rankcluster.client.support.TestProperties;
import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.web.client.RestClient;

class RankServerClientTests {

    private final FakeRankServer server = FakeRankServer.start();

    @AfterEach
    void stop() {
        server.close();
    }

    private RankServerClient clientWithToken(String token) {
        return new RankServerClient(RestClient.builder(), TestProperties.clientOf(server.url()), new ClusterProperties(token));
    }

    @Test
    void register_withClusterToken_sendsBearerAndReadsRegistration() {
        Registration registration = clientWithToken("s3cret").register(new RegistrationRequest(9001, "client-7"));

        assertThat(registration.address()).isEqualTo("127.0.0.1:9001");
        assertThat(registration.rank()).isZero();
        assertThat(registration.leaseToken()).isNotBlank();
        var request = server.requests("POST", "/api/v1/members").getFirst();
        assertThat(request.header("Authorization")).contains("Bearer s3cret");
        assertThat(request.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        assertThat(request.json().get("port").asInt()).isEqualTo(9001);
        assertThat(request.json().get("host").asString()).isEqualTo("client-7");
    }

    @Test
    void register_emptyClusterToken_sendsNoAuthorization() {
        clientWithToken("").register(RegistrationRequest.forPort(9001));

        assertThat(server.requests("POST", "/api/v1/members").getFirst().header("Authorization")).isEmpty();
    }

    @Test
    void send_registered_postsCommandWithLeaseTokenAndReadsReport() {
        var client = clientWithToken(null);
        server.addMember("10.0.0.1:8080");
        Registration sender = client.register(RegistrationRequest.forPort(9001));
        server.addMember("10.0.0.3:8080");

        CommandReport report = client.send(CommandRequest.toAllBelow(sender.id(), "ping"), sender.leaseToken());

        assertThat(report.senderRank()).isEqualTo(1);
        assertThat(report.targets()).isEqualTo(1);
        var request = server.requests("POST", "/api/v1/commands").getFirst();
        assertThat(request.header(RankHeaders.LEASE_TOKEN)).contains(sender.leaseToken());
        assertThat(request.json().get("senderId").asString()).isEqualTo(sender.id());
        assertThat(request.json().get("command").asString()).isEqualTo("ping");
    }

    @ParameterizedTest
    @CsvSource({"404, LeaseLost", "403, LeaseLost", "503, Busy", "429, Busy", "500, Unavailable", "502, Unavailable",
            "400, Refused", "401, Refused", "413, Refused"})
    void renew_errorStatus_typedException(int status, String type) {
        server.failNext("PUT", "/api/v1/members/", 1, status, null);

        assertThatThrownBy(() -> clientWithToken(null).renew("m-1", "token"))
                .isInstanceOf(RankServerException.class)
                .extracting(e -> e.getClass().getSimpleName()).isEqualTo(type);
    }

    @Test
    void register_clusterFullWithRetryAfter_busyCarryingTheDelay() {
        server.failNext("POST", "/api/v1/members", 1, 503, "7");

        assertThatThrownBy(() -> clientWithToken(null).register(RegistrationRequest.forPort(9001)))
                .isInstanceOfSatisfying(RankServerException.Busy.class,
                        busy -> assertThat(busy.retryAfter()).contains(Duration.ofSeconds(7)));
    }

    @Test
    void register_retryAfterNotSeconds_busyWithoutDelay() {
        server.failNext("POST", "/api/v1/members", 1, 503, "Wed, 21 Oct 2015 07:28:00 GMT");

        assertThatThrownBy(() -> clientWithToken(null).register(RegistrationRequest.forPort(9001)))
                .isInstanceOfSatisfying(RankServerException.Busy.class, busy -> assertThat(busy.retryAfter()).isEmpty());
    }

    @Test
    void register_serverDown_unavailable() {
        var client = clientWithToken(null);
        server.close();

        assertThatThrownBy(() -> client.register(RegistrationRequest.forPort(9001)))
                .isInstanceOf(RankServerException.Unavailable.class)
                .hasMessageStartingWith("server unreachable");
    }

    @Test
    void unregister_serverNeverAnswers_unavailableAfterUnregisterTimeout() {
        server.hang("DELETE");
        var client = clientWithToken(null);

        assertThatThrownBy(() -> client.unregister("m-1", "token"))
                .isInstanceOf(RankServerException.Unavailable.class);
    }

    @Test
    void renew_answerWithoutBody_unavailable() {
        server.failNext("PUT", "/api/v1/members/", 1, 204, null);

        assertThatThrownBy(() -> clientWithToken(null).renew("m-1", "token"))
                .isInstanceOf(RankServerException.Unavailable.class);
    }

    @Nested
    class Failover {

        private final FakeRankServer second = FakeRankServer.start();

        @AfterEach
        void stopSecond() {
            second.close();
        }

        private RankServerClient clientOfBoth() {
            return new RankServerClient(RestClient.builder(), TestProperties.clientOf(server.url(), second.url()),
                    new ClusterProperties(null));
        }

        @Test
        void register_firstServerDown_registersThroughNextWhichStaysCurrent() {
            var client = clientOfBoth();
            server.close();

            Registration registration = client.register(RegistrationRequest.forPort(9001));
            client.renew(registration.id(), registration.leaseToken());

            assertThat(client.currentUrl()).isEqualTo(second.url());
            assertThat(second.count("POST", "/api/v1/members")).isEqualTo(1);
            assertThat(second.count("PUT", "/api/v1/members/")).isEqualTo(1);
        }

        @Test
        void renew_currentServerFailsWith5xx_sameLeaseGoesToNext() {
            var client = clientOfBoth();
            Registration registration = client.register(RegistrationRequest.forPort(9001));
            server.failAlways("PUT", "/api/v1/members/", 502);

            assertThatThrownBy(() -> client.renew(registration.id(), registration.leaseToken()))
                    .as("the second server does not share this fake's members").isInstanceOf(RankServerException.LeaseLost.class);

            var renewal = second.requests("PUT", "/api/v1/members/").getFirst();
            assertThat(renewal.path()).isEqualTo("/api/v1/members/" + registration.id() + "/lease");
            assertThat(renewal.header(RankHeaders.LEASE_TOKEN)).contains(registration.leaseToken());
            assertThat(client.currentUrl()).isEqualTo(second.url());
        }

        @Test
        void send_serverBusy_noFailoverSinceEveryServerSharesTheAnswer() {
            var client = clientOfBoth();
            server.failNext("POST", "/api/v1/commands", 1, 429, "1");

            assertThatThrownBy(() -> client.send(CommandRequest.toAllBelow("m-1", "ping"), "token"))
                    .isInstanceOf(RankServerException.Busy.class);
            assertThat(second.requests()).isEmpty();
            assertThat(client.currentUrl()).isEqualTo(server.url());
        }

        @Test
        void renew_everyServerDown_unavailable() {
            var client = clientOfBoth();
            server.close();
            second.close();

            assertThatThrownBy(() -> client.renew("m-1", "token")).isInstanceOf(RankServerException.Unavailable.class);
        }
    }
}
