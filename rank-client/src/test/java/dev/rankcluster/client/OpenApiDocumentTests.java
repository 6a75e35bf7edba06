package dev.rankcluster.client;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ProblemType;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.servers.Server;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The client's OpenAPI document, checked in as {@code docs/openapi/rank-client.json}, is the one springdoc generates
 * from the code. springdoc is on the test classpath only: the client does not carry it (nor its start-up work)
 * at run time, since many clients run side by side and each is kept light.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "rank.client.send-enabled=false",
        "rank.client.server-url=http://127.0.0.1:1",
        "springdoc.paths-to-match=/api/**",
        "springdoc.default-produces-media-type=application/json",
        "springdoc.writer-with-order-by-keys=true",
        "springdoc.writer-with-default-pretty-printer=true"})
class OpenApiDocumentTests {

    private static final Path CHECKED_IN = Path.of("..", "docs", "openapi", "rank-client.json");
    private static final String REGENERATE = """
            ./mvnw -B -q -pl rank-client -am verify -Dtest=OpenApiDocumentTests -Dsurefire.failIfNoSpecifiedTests=false \
            -Dopenapi.write=true""";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @LocalServerPort
    int port;

    @Test
    void checkedInDocument_isTheOneGeneratedFromTheCode() throws Exception {
        String generated = get("/v3/api-docs");

        if (Boolean.getBoolean("openapi.write")) {
            Files.createDirectories(CHECKED_IN.getParent());
            Files.writeString(CHECKED_IN, generated.strip() + "\n");
        }
        assertThat(Files.exists(CHECKED_IN)).as("docs/openapi/rank-client.json is missing: write it with%n%s", REGENERATE).isTrue();
        assertThat(JSON.readTree(generated))
                .as("%s differs from the API the code serves: look at the difference, then rewrite the file with%n%s",
                        "docs/openapi/rank-client.json", REGENERATE)
                .isEqualTo(JSON.readTree(Files.readString(CHECKED_IN)));
    }

    @Test
    void document_describesDeliveriesAndTheirProblems() throws Exception {
        JsonNode document = JSON.readTree(get("/v3/api-docs"));

        assertThat(document.path("openapi").asString()).startsWith("3.1");
        JsonNode receive = document.at("/paths/~1api~1v1~1commands/post");
        assertThat(receive.at("/requestBody/content/application~1json/schema/$ref").asString()).endsWith("/Delivery");
        assertThat(receive.at("/responses/401/content").has("application/problem+json")).isTrue();
    }

    private String get(String path) throws IOException, InterruptedException {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
            return response.body();
        }
    }

    /** What the annotations do not say, as the server's document says it: title, a fixed server URL, problems. */
    @TestConfiguration(proxyBeanMethods = false)
    static class DocumentOfTheClient {

        private static final String PROBLEM = "Problem";

        @Bean
        OpenAPI rankClientApi() {
            return new OpenAPI()
                    .info(new Info().title("rank-client").version("v1").description("""
                            Every client serves this API: the rank server delivers commands to it, people and \
                            scripts read what it executed. Every error is an RFC 9457 problem whose type is \
                            %s<name>.""".formatted(ProblemType.BASE)))
                    .servers(List.of(new Server().url("http://localhost:8080").description("a client on its default port")));
        }

        /** Every error is a problem (springdoc would otherwise describe it with the method's success type). */
        @Bean
        OpenApiCustomizer problemBodies() {
            return api -> {
                api.getComponents().addSchemas(PROBLEM, problemSchema());
                api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                        operation.getResponses().forEach((status, response) -> {
                            if (status.matches("[45]\\d\\d")) {
                                response.setContent(new Content().addMediaType("application/problem+json",
                                        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
                            }
                        })));
            };
        }

        @SuppressWarnings("rawtypes")
        private static Schema<?> problemSchema() {
            Map<String, Schema> properties = new LinkedHashMap<>();
            properties.put("type", new Schema<>().type("string").format("uri").description(ProblemType.BASE + "<name>"));
            properties.put("title", new Schema<>().type("string"));
            properties.put("status", new Schema<>().type("integer").format("int32"));
            properties.put("detail", new Schema<>().type("string").description("what went wrong, in words a caller can act on"));
            properties.put("instance", new Schema<>().type("string").description("the request's path"));
            return new Schema<>().type("object").description("RFC 9457 problem details").properties(properties);
        }
    }
}
