package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ProblemJsonTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    @Test
    void forStatus_notFound_problemOfTheStatusType() {
        JsonNode problem = json.readTree(ProblemJson.forStatus(404, "nothing at /actuator/health/nope"));

        assertThat(problem.get("type").asString()).isEqualTo("https://rank-cluster.dev/problems/not-found");
        assertThat(problem.get("title").asString()).isEqualTo("Not found");
        assertThat(problem.get("status").asInt()).isEqualTo(404);
        assertThat(problem.get("detail").asString()).isEqualTo("nothing at /actuator/health/nope");
        assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail");
    }

    @Test
    void forStatus_detailWithQuotesAndControlCharacters_stillOneValidDocument() {
        String detail = "say \"hi\" \\ then\nnewline\u0000";

        assertThat(json.readTree(ProblemJson.forStatus(400, detail)).get("detail").asString()).isEqualTo(detail);
    }

    @Test
    void refusedByContainer_400_saysWhatToCheck() {
        assertThat(ProblemJson.refusedByContainer(400)).isEqualTo("""
                {"type":"https://rank-cluster.dev/problems/invalid-request","title":"Invalid request","status":400,\
                "detail":"malformed request: check the URL, the headers and the body's framing"}""");
    }

    @ParameterizedTest
    @ValueSource(ints = {404, 413, 500, 503, 505})
    void refusedByContainer_otherStatus_titleAsDetail(int status) {
        JsonNode problem = json.readTree(ProblemJson.refusedByContainer(status));

        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("type").asString()).isEqualTo(ProblemType.forStatus(status).uri().toString());
        assertThat(problem.get("detail").asString()).isEqualTo(ProblemType.forStatus(status).title());
    }
}
