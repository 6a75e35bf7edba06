package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.server.RankServerApplication;
import dev.rankcluster.server.support.ServerHttp;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.JsonNode;

/**
 * Random bodies, JSON-like or not, to every endpoint that takes one: never a 5xx, every refusal is a problem,
 * and a refused request changes neither ranking nor epoch.
 */
class JsonFuzzProperties {

    static final String ADMIN_TOKEN = "fuzz-admin-token";

    static ConfigurableApplicationContext server;
    static ServerHttp http;
    static JsonNode top;
    static JsonNode low;

    @BeforeContainer
    static void startServer() {
        server = new SpringApplicationBuilder(RankServerApplication.class)
                .run("--server.port=0", "--rank.server.admin-token=" + ADMIN_TOKEN, "--rank.server.lease-ttl=1h");
        http = new ServerHttp(Integer.parseInt(server.getEnvironment().getProperty("local.server.port")));
        top = http.postJson("/api/v1/members", "{\"port\": 9701}").json();
        low = http.postJson("/api/v1/members", "{\"port\": 9702}").json();
    }

    @AfterContainer
    static void stopServer() {
        server.close();
    }

    record Target(String method, String path, boolean withToken) {
    }

    @Property(tries = 250)
    void randomBody_neverServerErrorNorStateChangeWhenRefused(@ForAll("targets") Target target,
                                                              @ForAll("bodies") String body) {
        JsonNode before = http.get("/api/v1/members").json();
        String path = target.path().replace("{low}", low.path("id").asString());
        String[] headers = target.withToken()
                ? new String[] {"Content-Type", "application/json", "X-Lease-Token", low.path("leaseToken").asString()}
                : new String[] {"Content-Type", "application/json"};

        Response response = http.send(target.method(), path, BodyPublishers.ofString(body), headers);

        assertThat(response.status()).as("%s %s with %s", target.method(), path, body).isLessThan(500);
        if (response.status() >= 400) {
            assertThat(response.contentType()).startsWith("application/problem+json");
            assertThat(http.get("/api/v1/members").json()).as("state after refusing %s", body).isEqualTo(before);
        } else if (target.path().equals("/api/v1/members") && response.status() == 201) {
            // A body that happens to be a valid registration joined: take it out again so that no command
            // is ever delivered to a port some other program on this machine listens on.
            http.delete("/api/v1/members/" + response.json().path("id").asString(), "Authorization", "Bearer " + ADMIN_TOKEN);
        }
    }

    @Provide
    Arbitrary<Target> targets() {
        return Arbitraries.of(
                new Target("POST", "/api/v1/members", false),
                new Target("POST", "/api/v1/commands", true),
                new Target("POST", "/api/v1/commands", false),
                new Target("PUT", "/api/v1/members/{low}/lease", true));
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> keys = Arbitraries.of("port", "host", "senderId", "command", "targetId", "", "\u0000", "port ");
        Arbitrary<String> scalars = Arbitraries.oneOf(
                Arbitraries.integers().map(String::valueOf),
                Arbitraries.longs().map(String::valueOf),
                Arbitraries.doubles().map(String::valueOf),
                Arbitraries.of("null", "true", "false", "1e400", "-0", "9999999999999999999999"),
                Arbitraries.strings().ofMaxLength(300).map(JsonFuzzProperties::quoted),
                Arbitraries.just(quoted(low.path("id").asString())),
                Arbitraries.just(quoted(top.path("id").asString())));
        Arbitrary<String> objects = Arbitraries.maps(keys, Arbitraries.oneOf(scalars, scalars.list().ofMaxSize(3)
                        .map(list -> "[" + String.join(",", list) + "]")))
                .ofMaxSize(5)
                .map(map -> "{" + String.join(",", map.entrySet().stream()
                        .map(entry -> quoted(entry.getKey()) + ":" + entry.getValue()).toList()) + "}");
        return Arbitraries.oneOf(objects, scalars, Arbitraries.strings().ofMaxLength(200),
                objects.map(object -> object.substring(0, object.length() / 2)),
                objects.list().ofMaxSize(3).map(List::toString));
    }

    private static String quoted(String text) {
        StringBuilder json = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> json.append(c < 0x20 ? "\\u%04x".formatted((int) c) : String.valueOf(c));
            }
        }
        return json.append('"').toString();
    }
}
