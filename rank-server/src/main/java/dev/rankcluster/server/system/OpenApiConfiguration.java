package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemType;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document at {@code /v3/api-docs} (and Swagger UI at {@code /swagger-ui.html}): what the
 * controllers' annotations do not say, said once here. The document is checked in as
 * {@code docs/openapi/rank-server.json}, so it must not depend on the port or the host it is read from.
 */
@Configuration(proxyBeanMethods = false)
class OpenApiConfiguration {

    /** The bearer scheme of the cluster token (registration) and the admin token (removal), named so in controllers. */
    private static final String BEARER = "bearer";

    private static final String PROBLEM = "Problem";

    @Bean
    OpenAPI rankServerApi() {
        return new OpenAPI()
                .info(new Info().title("rank-server").version("v1").description("""
                        Keeps the ordered list of live clients (rank 0 first, ranks always 0..n-1) and delivers \
                        each client's commands to every client ranked below it. Every error is an RFC 9457 \
                        problem whose type is %s<name>.""".formatted(ProblemType.BASE)))
                // Relative: Swagger UI then tries the endpoints on the server that serves it, whatever its port.
                .servers(List.of(new Server().url("/").description("the server that serves this document")))
                .components(new Components()
                        .addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                                .description("the cluster token to register; the admin token to remove any member")));
    }

    /**
     * Every error is a problem: the annotations list an error's status and when it happens, this gives it the
     * problem body (springdoc would otherwise describe it with the method's success type).
     */
    @Bean
    OpenApiCustomizer problemBodies() {
        return api -> {
            api.getComponents().addSchemas(PROBLEM, problemSchema());
            api.getPaths().values().forEach(path -> path.readOperations().forEach(operation ->
                    operation.getResponses().forEach((status, response) -> {
                        if (status.matches("[45]\\d\\d")) {
                            response.setContent(problemContent());
                        }
                    })));
        };
    }

    private static Content problemContent() {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
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
