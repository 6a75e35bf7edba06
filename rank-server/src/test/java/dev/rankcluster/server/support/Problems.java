package dev.rankcluster.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ProblemType;
import tools.jackson.databind.JsonNode;

/** Assertions on RFC 9457 problem responses. */
public final class Problems {

    private Problems() {
    }

    public static void assertProblem(ServerHttp.Response response, ProblemType type) {
        assertThat(response.status()).as("status of %s", response).isEqualTo(type.status());
        assertThat(response.contentType()).as("content type of %s", response).startsWith("application/problem+json");
        JsonNode body = response.json();
        assertThat(body.path("type").asString()).isEqualTo("https://rank-cluster.dev/problems/" + type.problemName());
        assertThat(body.path("status").asInt()).isEqualTo(type.status());
        assertThat(body.path("title").asString()).isNotBlank();
        assertThat(body.path("detail").asString()).isNotBlank();
        assertThat(response.body()).as("no internals in %s", response)
                .doesNotContain("Exception", "\tat ", "dev.rankcluster.", "java.", "tools.jackson.");
    }
}
