package dev.rankcluster.server.system;

import static dev.rankcluster.server.support.Problems.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.support.RankServerTestBase;
import dev.rankcluster.server.support.ServerHttp.Response;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.test.context.SpringBootTest;
import tools.jackson.databind.JsonNode;

/** One row per kind of bad input: each gets its problem, and the ranking and epoch stay as they were. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "rank.server.admin-token=" + RankServerTestBase.ADMIN_TOKEN)
class BadInputTests extends RankServerTestBase {

    static final String JSON = "application/json";
    static final String BIG = "{\"port\": 8080, \"host\": \"" + "a".repeat(17 * 1024) + "\"}";

    /** {top}, {low} and their {topToken}, {lowToken} are replaced by two members registered before each row. */
    record Row(String name, String method, String path, String contentType, String body, boolean chunked,
               List<String> headers, ProblemType expected) {

        @Override
        public String toString() {
            return name;
        }
    }

    static Row row(String name, String method, String path, String body, ProblemType expected, String... headers) {
        return new Row(name, method, path, body == null ? null : JSON, body, false, List.of(headers), expected);
    }

    static Stream<Row> rows() {
        String members = "/api/v1/members";
        String commands = "/api/v1/commands";
        String lowToken = "X-Lease-Token:{lowToken}";
        return Stream.of(
                row("register: malformed JSON", "POST", members, "{\"port\": ", ProblemType.INVALID_REQUEST),
                row("register: not JSON at all", "POST", members, "port=8080", ProblemType.INVALID_REQUEST),
                row("register: port of wrong type", "POST", members, "{\"port\": \"eighty\"}", ProblemType.INVALID_REQUEST),
                row("register: port as a string", "POST", members, "{\"port\": \"8080\"}", ProblemType.INVALID_REQUEST),
                row("register: port with a fraction", "POST", members, "{\"port\": 8080.5}", ProblemType.INVALID_REQUEST),
                row("register: port too large for an int", "POST", members, "{\"port\": 99999999999}", ProblemType.INVALID_REQUEST),
                row("register: missing port", "POST", members, "{}", ProblemType.INVALID_REQUEST),
                row("register: port 0", "POST", members, "{\"port\": 0}", ProblemType.INVALID_REQUEST),
                row("register: port 65536", "POST", members, "{\"port\": 65536}", ProblemType.INVALID_REQUEST),
                row("register: negative port", "POST", members, "{\"port\": -1}", ProblemType.INVALID_REQUEST),
                row("register: JSON null", "POST", members, "null", ProblemType.INVALID_REQUEST),
                row("register: JSON array", "POST", members, "[8080]", ProblemType.INVALID_REQUEST),
                row("register: empty body", "POST", members, "", ProblemType.INVALID_REQUEST),
                row("register: trailing garbage", "POST", members, "{\"port\": 8080} {}", ProblemType.INVALID_REQUEST),
                new Row("register: text/plain", "POST", members, "text/plain", "{\"port\": 8080}", false, List.of(),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE),
                new Row("register: no content type", "POST", members, null, "{\"port\": 8080}", false, List.of(),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE),
                row("register: body over 16 KiB", "POST", members, BIG, ProblemType.PAYLOAD_TOO_LARGE),
                new Row("register: chunked body over 16 KiB", "POST", members, JSON, BIG, true, List.of(),
                        ProblemType.PAYLOAD_TOO_LARGE),
                row("lease: no token", "PUT", members + "/{low}/lease", null, ProblemType.UNAUTHORIZED),
                row("lease: wrong token", "PUT", members + "/{low}/lease", null, ProblemType.FORBIDDEN, "X-Lease-Token:nope"),
                row("lease: another member's token", "PUT", members + "/{low}/lease", null, ProblemType.FORBIDDEN,
                        "X-Lease-Token:{topToken}"),
                row("lease: unknown id", "PUT", members + "/unknown/lease", null, ProblemType.NOT_FOUND, lowToken),
                row("lease: body over 16 KiB", "PUT", members + "/{low}/lease", BIG, ProblemType.PAYLOAD_TOO_LARGE, lowToken),
                row("member: unknown id", "GET", members + "/unknown", null, ProblemType.NOT_FOUND),
                row("delete: no token", "DELETE", members + "/{low}", null, ProblemType.UNAUTHORIZED),
                row("delete: wrong token", "DELETE", members + "/{low}", null, ProblemType.FORBIDDEN, "X-Lease-Token:nope"),
                row("delete: wrong admin token", "DELETE", members + "/{low}", null, ProblemType.FORBIDDEN,
                        "Authorization:Bearer nope"),
                row("delete: unknown id", "DELETE", members + "/unknown", null, ProblemType.NOT_FOUND, lowToken),
                row("command: malformed JSON", "POST", commands, "{\"senderId\":", ProblemType.INVALID_REQUEST, lowToken),
                row("command: missing senderId", "POST", commands, "{\"command\": \"x\"}", ProblemType.INVALID_REQUEST, lowToken),
                row("command: missing command", "POST", commands, "{\"senderId\": \"{low}\"}", ProblemType.INVALID_REQUEST, lowToken),
                row("command: empty command", "POST", commands, "{\"senderId\": \"{low}\", \"command\": \"\"}",
                        ProblemType.INVALID_REQUEST, lowToken),
                row("command: 257 characters", "POST", commands,
                        "{\"senderId\": \"{low}\", \"command\": \"" + "x".repeat(257) + "\"}", ProblemType.INVALID_REQUEST, lowToken),
                row("command: control character", "POST", commands, "{\"senderId\": \"{low}\", \"command\": \"a\\u0007b\"}",
                        ProblemType.INVALID_REQUEST, lowToken),
                row("command: newline", "POST", commands, "{\"senderId\": \"{low}\", \"command\": \"a\\nb\"}",
                        ProblemType.INVALID_REQUEST, lowToken),
                row("command: command of wrong type", "POST", commands, "{\"senderId\": \"{low}\", \"command\": 42}",
                        ProblemType.INVALID_REQUEST, lowToken),
                row("command: sender id of wrong type", "POST", commands, "{\"senderId\": 7, \"command\": \"x\"}",
                        ProblemType.INVALID_REQUEST, lowToken),
                row("command: no token", "POST", commands, "{\"senderId\": \"{low}\", \"command\": \"x\"}", ProblemType.UNAUTHORIZED),
                row("command: wrong token", "POST", commands, "{\"senderId\": \"{low}\", \"command\": \"x\"}",
                        ProblemType.FORBIDDEN, "X-Lease-Token:nope"),
                row("command: unknown sender", "POST", commands, "{\"senderId\": \"unknown\", \"command\": \"x\"}",
                        ProblemType.NOT_FOUND, lowToken),
                row("command: unknown target", "POST", commands,
                        "{\"senderId\": \"{low}\", \"command\": \"x\", \"targetId\": \"unknown\"}", ProblemType.NOT_FOUND, lowToken),
                row("command: target above sender", "POST", commands,
                        "{\"senderId\": \"{low}\", \"command\": \"x\", \"targetId\": \"{top}\"}", ProblemType.RANK_VIOLATION, lowToken),
                row("command: body over 16 KiB", "POST", commands, BIG, ProblemType.PAYLOAD_TOO_LARGE, lowToken),
                new Row("command: text/plain", "POST", commands, "text/plain", "{}", false, List.of(lowToken),
                        ProblemType.UNSUPPORTED_MEDIA_TYPE),
                row("unknown path", "GET", "/api/v1/nothing-here", null, ProblemType.NOT_FOUND),
                row("the container's error page asked for directly", "GET", "/error", null, ProblemType.NOT_FOUND),
                row("wrong method", "PATCH", members, "{}", ProblemType.METHOD_NOT_ALLOWED),
                row("not acceptable", "GET", members, null, ProblemType.NOT_ACCEPTABLE, "Accept:application/xml"),
                row("actuator env is not exposed", "GET", "/actuator/env", null, ProblemType.NOT_FOUND));
    }

    JsonNode top;
    JsonNode low;

    @BeforeEach
    void twoMembers() {
        top = register(9601);
        low = register(9602);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void badInput_answeredWithProblem_stateUnchanged(Row row) {
        JsonNode before = ranking();

        Response response = http.send(row.method(), fill(row.path()), body(row), headers(row));

        assertProblem(response, row.expected());
        assertThat(ranking()).as("ranking and epoch after %s", row.name()).isEqualTo(before);
        assertThat(http.put("/api/v1/members/" + low.path("id").asString() + "/lease",
                "X-Lease-Token", low.path("leaseToken").asString()).status()).as("the member's lease still works").isEqualTo(200);
    }

    private BodyPublisher body(Row row) {
        if (row.body() == null) {
            return BodyPublishers.noBody();
        }
        BodyPublisher bytes = BodyPublishers.ofString(fill(row.body()));
        if (!row.chunked()) {
            return bytes;
        }
        // Unknown length: the JDK client streams it chunked, without Content-Length.
        return new BodyPublisher() {
            @Override
            public long contentLength() {
                return -1;
            }

            @Override
            public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
                bytes.subscribe(subscriber);
            }
        };
    }

    private String[] headers(Row row) {
        List<String> headers = new ArrayList<>();
        if (row.contentType() != null) {
            headers.add("Content-Type");
            headers.add(row.contentType());
        }
        for (String header : row.headers()) {
            int colon = header.indexOf(':');
            headers.add(header.substring(0, colon));
            headers.add(fill(header.substring(colon + 1)));
        }
        return headers.toArray(String[]::new);
    }

    private String fill(String text) {
        return text.replace("{topToken}", top.path("leaseToken").asString())
                .replace("{lowToken}", low.path("leaseToken").asString())
                .replace("{top}", top.path("id").asString())
                .replace("{low}", low.path("id").asString());
    }
}
