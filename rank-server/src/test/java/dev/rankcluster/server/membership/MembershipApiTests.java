package dev.rankcluster.server.membership;

import static dev.rankcluster.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.time.Instant;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import tools.jackson.databind.JsonNode;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN)
@ExtendWith(OutputCaptureExtension.class)
class MembershipApiTests extends RankServerTestBase {

    static final String LEASE = "X-Lease-Token";

    @Nested
    class Register {

        @Test
        void register_newPort_createdWithRankAndLease() {
            Response response = http.postJson("/api/v1/members", "{\"port\": 9101}");

            assertThat(response.status()).isEqualTo(201);
            JsonNode body = response.json();
            assertThat(body.path("address").asString()).isEqualTo("127.0.0.1:9101");
            assertThat(body.path("rank").asInt()).isZero();
            assertThat(body.path("leaseToken").asString()).hasSizeGreaterThanOrEqualTo(22);
            assertThat(body.path("leaseTtlMs").asLong()).isEqualTo(10_000);
            assertThat(body.path("epoch").asLong()).isEqualTo(epoch());
            assertThat(response.header("Location")).hasValue("/api/v1/members/" + body.path("id").asString());
        }

        @Test
        void register_existingAddress_okSameIdAndRankNewToken() {
            register(9101);
            JsonNode first = register(9102);
            long epoch = epoch();

            Response again = http.postJson("/api/v1/members", "{\"port\": 9102}");

            assertThat(again.status()).isEqualTo(200);
            assertThat(again.json().path("id").asString()).isEqualTo(first.path("id").asString());
            assertThat(again.json().path("rank").asInt()).isEqualTo(1);
            assertThat(again.json().path("leaseToken").asString()).isNotEqualTo(first.path("leaseToken").asString());
            assertThat(epoch()).isEqualTo(epoch);
            assertProblem(http.put("/api/v1/members/" + first.path("id").asString() + "/lease",
                    LEASE, first.path("leaseToken").asString()), ProblemType.FORBIDDEN);
        }

        @Test
        void register_advertisedHostNotTrusted_ignored() {
            Response response = http.postJson("/api/v1/members", "{\"port\": 9103, \"host\": \"10.9.9.9\"}");

            assertThat(response.json().path("address").asString()).isEqualTo("127.0.0.1:9103");
        }

        @Test
        void register_logsTheRanking(CapturedOutput output) {
            register(9101);
            register(9102);
            long epoch = epoch();

            assertThat(output).contains("Ranking epoch=%d members=2 (joined 127.0.0.1:9102): 0=127.0.0.1:9101 1=127.0.0.1:9102"
                    .formatted(epoch));
        }
    }

    @Nested
    class Read {

        @Test
        void listMembers_byRankWithEpoch() {
            register(9101);
            register(9102);

            JsonNode ranking = ranking();

            assertThat(ranking.path("epoch").asLong()).isPositive();
            assertThat(ranking.path("members")).hasSize(2);
            JsonNode second = ranking.path("members").get(1);
            assertThat(second.path("rank").asInt()).isEqualTo(1);
            assertThat(second.path("address").asString()).isEqualTo("127.0.0.1:9102");
            assertThat(Instant.parse(second.path("joinedAt").asString())).isBeforeOrEqualTo(Instant.now());
            assertThat(second.has("leaseToken")).isFalse();
        }

        @Test
        void getMember_known_detailsWithEpoch() {
            register(9101);
            JsonNode b = register(9102);

            Response response = http.get("/api/v1/members/" + b.path("id").asString());

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("rank").asInt()).isEqualTo(1);
            assertThat(response.json().path("address").asString()).isEqualTo("127.0.0.1:9102");
            assertThat(response.json().path("epoch").asLong()).isEqualTo(epoch());
            assertThat(response.body()).doesNotContain(b.path("leaseToken").asString());
        }

        @Test
        void getMember_unknown_notFound() {
            assertProblem(http.get("/api/v1/members/no-such-id"), ProblemType.NOT_FOUND);
        }
    }

    @Nested
    class Lease {

        @Test
        void renewLease_rightToken_rankEpochAndTtl() {
            register(9101);
            JsonNode b = register(9102);

            Response response = http.put("/api/v1/members/" + b.path("id").asString() + "/lease",
                    LEASE, b.path("leaseToken").asString());

            assertThat(response.status()).isEqualTo(200);
            assertThat(response.json().path("rank").asInt()).isEqualTo(1);
            assertThat(response.json().path("epoch").asLong()).isEqualTo(epoch());
            assertThat(response.json().path("leaseTtlMs").asLong()).isEqualTo(10_000);
        }

        @Test
        void renewLease_wrongToken_forbiddenAndNothingChanges() {
            JsonNode a = register(9101);
            long epoch = epoch();

            assertProblem(http.put("/api/v1/members/" + a.path("id").asString() + "/lease", LEASE, "wrong"),
                    ProblemType.FORBIDDEN);
            assertThat(epoch()).isEqualTo(epoch);
        }

        @Test
        void renewLease_noToken_unauthorized() {
            JsonNode a = register(9101);

            assertProblem(http.put("/api/v1/members/" + a.path("id").asString() + "/lease"), ProblemType.UNAUTHORIZED);
        }

        @Test
        void renewLease_unknownId_notFound() {
            assertProblem(http.put("/api/v1/members/no-such-id/lease", LEASE, "whatever"), ProblemType.NOT_FOUND);
        }

        @Test
        void renewLease_neverSeen_notFoundSayingTheServerDoesNotKnowIt() {
            Response response = http.put("/api/v1/members/no-such-id/lease", LEASE, "whatever");

            assertThat(response.json().path("cause").asString()).isEqualTo("unknown");
            assertThat(response.json().path("detail").asString()).contains("the server restarted");
        }

        @Test
        void renewLease_removedByOperator_notFoundSayingSo() {
            JsonNode a = register(9101);
            http.delete("/api/v1/members/" + a.path("id").asString(), "Authorization", "Bearer " + ADMIN_TOKEN);

            Response response = http.put("/api/v1/members/" + a.path("id").asString() + "/lease",
                    LEASE, a.path("leaseToken").asString());

            assertProblem(response, ProblemType.NOT_FOUND);
            assertThat(response.json().path("cause").asString()).isEqualTo("removed");
            assertThat(response.json().path("detail").asString()).contains("an operator removed it");
        }
    }

    @Nested
    class Delete {

        @Test
        void delete_ownToken_noContentAndLowerRanksPromoted(CapturedOutput output) {
            register(9101);
            JsonNode b = register(9102);
            JsonNode c = register(9103);

            Response response = http.delete("/api/v1/members/" + b.path("id").asString(), LEASE, b.path("leaseToken").asString());

            assertThat(response.status()).isEqualTo(204);
            assertThat(ranking().path("members")).extracting(member -> member.path("address").asString())
                    .containsExactly("127.0.0.1:9101", "127.0.0.1:9103");
            assertThat(http.get("/api/v1/members/" + c.path("id").asString()).json().path("rank").asInt()).isEqualTo(1);
            assertThat(output).contains("members=2 (left 127.0.0.1:9102): 0=127.0.0.1:9101 1=127.0.0.1:9103");
            assertThat(output).doesNotContain(b.path("leaseToken").asString());
        }

        @Test
        void delete_adminToken_noContentReasonRemoved(CapturedOutput output) {
            JsonNode a = register(9101);

            Response response = http.delete("/api/v1/members/" + a.path("id").asString(),
                    "Authorization", "Bearer " + ADMIN_TOKEN);

            assertThat(response.status()).isEqualTo(204);
            assertThat(output).contains("members=0 (removed 127.0.0.1:9101):");
        }

        @Test
        void delete_wrongLeaseToken_forbiddenAndNothingChanges() {
            JsonNode a = register(9101);
            long epoch = epoch();

            assertProblem(http.delete("/api/v1/members/" + a.path("id").asString(), LEASE, "wrong"), ProblemType.FORBIDDEN);
            assertThat(epoch()).isEqualTo(epoch);
        }

        @Test
        void delete_wrongAdminToken_forbiddenAndNothingChanges() {
            JsonNode a = register(9101);
            long epoch = epoch();

            assertProblem(http.delete("/api/v1/members/" + a.path("id").asString(), "Authorization", "Bearer wrong"),
                    ProblemType.FORBIDDEN);
            assertThat(epoch()).isEqualTo(epoch);
        }

        @Test
        void delete_anotherMembersToken_forbidden() {
            JsonNode a = register(9101);
            JsonNode b = register(9102);

            assertProblem(http.delete("/api/v1/members/" + a.path("id").asString(), LEASE, b.path("leaseToken").asString()),
                    ProblemType.FORBIDDEN);
        }

        @Test
        void delete_noToken_unauthorized() {
            JsonNode a = register(9101);

            assertProblem(http.delete("/api/v1/members/" + a.path("id").asString()), ProblemType.UNAUTHORIZED);
        }

        @Test
        void delete_unknownId_notFound() {
            assertProblem(http.delete("/api/v1/members/no-such-id", LEASE, "whatever"), ProblemType.NOT_FOUND);
            assertProblem(http.delete("/api/v1/members/no-such-id", "Authorization", "Bearer " + ADMIN_TOKEN),
                    ProblemType.NOT_FOUND);
        }
    }
}
