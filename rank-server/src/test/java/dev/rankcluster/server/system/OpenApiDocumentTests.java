package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.support.ServerHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.json.JsonMapper;

/**
 * The OpenAPI document the server serves is the one checked in as {@code docs/openapi/rank-server.json}, so the
 * API's reference in the repository never drifts from the code; and the document and Swagger UI are open to all.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"rank.cluster.token=a-cluster-token", "rank.server.admin-token=an-admin-token"})
class OpenApiDocumentTests {

    private static final Path CHECKED_IN = Path.of("..", "docs", "openapi", "rank-server.json");
    private static final String REGENERATE = """
            ./mvnw -B -q -pl rank-server -am verify -Dtest=OpenApiDocumentTests -Dsurefire.failIfNoSpecifiedTests=false \
            -Dopenapi.write=true""";

    @LocalServerPort
    int port;

    private ServerHttp http;

    @BeforeEach
    void connect() {
        http = new ServerHttp(port);
    }

    @Test
    void checkedInDocument_isTheOneTheCodeServes() throws IOException {
        ServerHttp.Response served = http.get("/v3/api-docs");
        assertThat(served.status()).as("GET /v3/api-docs needs no token").isEqualTo(200);

        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, served.body().strip() + "\n");
        }
        assertThat(Files.exists(CHECKED_IN)).as("docs/openapi/rank-server.json is missing: write it with%n%s", REGENERATE).isTrue();
        JsonMapper json = JsonMapper.builder().build();
        assertThat(json.readTree(served.body()))
                .as("%s differs from the API the code serves: look at the difference, then rewrite the file with%n%s",
                        "docs/openapi/rank-server.json", REGENERATE)
                .isEqualTo(json.readTree(Files.readString(CHECKED_IN)));
    }

    @Test
    void document_isOpenApi31_describingEveryEndpoint() {
        var document = http.get("/v3/api-docs").json();

        assertThat(document.path("openapi").asString()).startsWith("3.1");
        assertThat(document.path("paths").propertyNames()).containsExactlyInAnyOrder(
                "/api/v1/members", "/api/v1/members/{id}", "/api/v1/members/{id}/lease", "/api/v1/commands",
                "/api/v1/events", "/api/v1/dashboard", "/api/v1/dashboard/last-heard", "/api/v1/sessions/{memberId}");
        assertThat(document.at("/paths/~1api~1v1~1members/post/responses/400/content")
                .has("application/problem+json")).as("errors are problems").isTrue();
    }

    @Test
    void swaggerUi_isOpenToEveryone() {
        ServerHttp.Response redirect = http.get("/swagger-ui.html");
        assertThat(redirect.status()).isEqualTo(302);
        assertThat(redirect.header("Location")).hasValueSatisfying(location -> assertThat(location)
                .endsWith("/swagger-ui/index.html"));

        ServerHttp.Response page = http.get("/swagger-ui/index.html");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.contentType()).startsWith("text/html");
    }
}
