package dev.rankcluster.client.command;

import static dev.rankcluster.client.command.Deliveries.REFUSED_ID;
import static dev.rankcluster.client.command.Deliveries.aDelivery;
import static dev.rankcluster.client.command.Deliveries.withField;
import static dev.rankcluster.client.command.Deliveries.without;
import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.client.registration.RegistrationState;
import dev.rankcluster.client.support.MutableClock;
import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import com.jayway.jsonpath.JsonPath;
import java.io.UnsupportedEncodingException;
import java.time.Instant;
import java.util.UUID;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.assertj.MockMvcTester;
import org.springframework.test.web.servlet.assertj.MvcTestResult;

@WebMvcTest(DeliveryController.class)
@Import({DeliveryControllerTests.Wiring.class, DeliveryParser.class, DeliveryAuthenticator.class, DeliveryReceiver.class, ExecutedCommands.class,
        RegistrationState.class})
@ExtendWith(OutputCaptureExtension.class)
class DeliveryControllerTests {

    @TestConfiguration
    @EnableConfigurationProperties(ClusterProperties.class)
    static class Wiring {
        @Bean
        MutableClock clock() {
            return new MutableClock(Instant.parse("2026-11-23T21:00:01Z"));
        }
    }

    @Autowired
    MockMvcTester mvc;

    @Autowired
    MutableClock clock;

    @Autowired
    RegistrationState registration;

    @BeforeEach
    void registered() {
        clock.set(Instant.parse("2026-11-23T21:00:01Z"));
        registration.registered(Deliveries.registration());
    }

    static Stream<Arguments> badDeliveries() {
        String valid = aDelivery(REFUSED_ID);
        return Stream.of(
                bad("malformed JSON", valid.substring(0, 40), ProblemType.INVALID_REQUEST),
                bad("empty body", "", ProblemType.INVALID_REQUEST),
                bad("JSON null", "null", ProblemType.INVALID_REQUEST),
                bad("JSON array", "[" + valid + "]", ProblemType.INVALID_REQUEST),
                bad("JSON string", "\"flush-cache\"", ProblemType.INVALID_REQUEST),
                bad("trailing data", valid + "{}", ProblemType.INVALID_REQUEST),
                bad("duplicate key", valid.replace("{", "{\"senderRank\":0,"), ProblemType.INVALID_REQUEST),
                bad("empty object", "{}", ProblemType.INVALID_REQUEST),
                bad("missing commandId", without("commandId"), ProblemType.INVALID_REQUEST),
                bad("missing command", without("command"), ProblemType.INVALID_REQUEST),
                bad("missing senderId", without("senderId"), ProblemType.INVALID_REQUEST),
                bad("missing senderAddress", without("senderAddress"), ProblemType.INVALID_REQUEST),
                bad("missing senderRank", without("senderRank"), ProblemType.INVALID_REQUEST),
                bad("missing receiverId", without("receiverId"), ProblemType.INVALID_REQUEST),
                bad("missing receiverRank", without("receiverRank"), ProblemType.INVALID_REQUEST),
                bad("missing expiresAt", without("expiresAt"), ProblemType.INVALID_REQUEST),
                bad("missing epoch", without("epoch"), ProblemType.INVALID_REQUEST),
                bad("missing issuedAt", without("issuedAt"), ProblemType.INVALID_REQUEST),
                bad("null command", withField("command", "null"), ProblemType.INVALID_REQUEST),
                bad("empty command", withField("command", "\"\""), ProblemType.INVALID_REQUEST),
                bad("command of 257 characters", withField("command", "\"" + "x".repeat(257) + "\""), ProblemType.INVALID_REQUEST),
                bad("command with a newline", withField("command", "\"flush\\ncache\""), ProblemType.INVALID_REQUEST),
                bad("command with NUL", withField("command", "\"flush\\u0000\""), ProblemType.INVALID_REQUEST),
                bad("command as a number", withField("command", "42"), ProblemType.INVALID_REQUEST),
                bad("blank commandId", withField("commandId", "\"  \""), ProblemType.INVALID_REQUEST),
                bad("commandId of 257 characters", withField("commandId", "\"" + "c".repeat(257) + "\""), ProblemType.INVALID_REQUEST),
                bad("negative senderRank", withField("senderRank", "-1"), ProblemType.INVALID_REQUEST),
                bad("negative receiverRank and sender", withField("receiverRank", "-2"), ProblemType.INVALID_REQUEST),
                bad("negative epoch", withField("epoch", "-1"), ProblemType.INVALID_REQUEST),
                bad("rank as a string", withField("senderRank", "\"0\""), ProblemType.INVALID_REQUEST),
                bad("rank as a fraction", withField("receiverRank", "2.5"), ProblemType.INVALID_REQUEST),
                bad("rank as a boolean", withField("receiverRank", "true"), ProblemType.INVALID_REQUEST),
                bad("rank beyond int", withField("receiverRank", "99999999999"), ProblemType.INVALID_REQUEST),
                bad("rank as an object", withField("receiverRank", "{}"), ProblemType.INVALID_REQUEST),
                bad("issuedAt not a time", withField("issuedAt", "\"yesterday\""), ProblemType.INVALID_REQUEST),
                bad("expiresAt not a time", withField("expiresAt", "\"soon\""), ProblemType.INVALID_REQUEST),
                bad("for another member", aDelivery(REFUSED_ID, 0, "m-4", 2, Deliveries.EXPIRES_AT), ProblemType.MISADDRESSED),
                bad("past its deadline", aDelivery(REFUSED_ID, 0, Deliveries.RECEIVER_ID, 2,
                        Instant.parse("2026-11-23T21:00:00.999Z")), ProblemType.DELIVERY_EXPIRED),
                bad("sender of the same rank", aDelivery(REFUSED_ID, 2, 2), ProblemType.RANK_VIOLATION),
                bad("sender of a lower rank", aDelivery(REFUSED_ID, 3, 2), ProblemType.RANK_VIOLATION),
                bad("over 16 KiB", withField("command", "\"" + "x".repeat(17_000) + "\""), ProblemType.PAYLOAD_TOO_LARGE));
    }

    private static Arguments bad(String name, String body, ProblemType expected) {
        return Arguments.argumentSet(name, body, expected);
    }

    @ParameterizedTest
    @MethodSource("badDeliveries")
    void receive_badDelivery_refusedWithProblemAndNothingExecuted(String body, ProblemType expected, CapturedOutput output) {
        MvcTestResult result = post(body);

        assertProblem(result, expected);
        assertNothingExecuted(output);
    }

    @Test
    void receive_expiredDelivery_loggedOnceWithHowLate(CapturedOutput output) {
        clock.set(Instant.parse("2026-11-23T21:00:03.5Z"));

        assertProblem(post(aDelivery(REFUSED_ID)), ProblemType.DELIVERY_EXPIRED);

        assertThat(output.getOut()).containsOnlyOnce("Not executing 'flush-cache' from 10.0.0.2:8080 (rank 0): "
                + "it arrived 1500 ms after its deadline");
        assertNothingExecuted(output);
    }

    @Test
    void receive_atItsDeadline_stillExecuted() {
        String id = uniqueId();
        clock.set(Deliveries.EXPIRES_AT);

        assertThat(post(aDelivery(id))).hasStatus(204);

        assertThat(executedIds()).contains(id);
    }

    @Test
    void receive_unsigned_refusedAsInvalidSignature(CapturedOutput output) {
        MvcTestResult result = mvc.post().uri("/api/v1/commands").contentType(MediaType.APPLICATION_JSON)
                .content(aDelivery(REFUSED_ID)).exchange();

        assertProblem(result, ProblemType.INVALID_SIGNATURE);
        assertNothingExecuted(output);
    }

    @Test
    void receive_notRegistered_refusedAsInvalidSignature(CapturedOutput output) {
        registration.lost();

        assertProblem(post(aDelivery(REFUSED_ID)), ProblemType.INVALID_SIGNATURE);
        assertNothingExecuted(output);
    }

    @Test
    void receive_signedForThePreviousRegistration_refused(CapturedOutput output) {
        String body = aDelivery(REFUSED_ID);
        String signature = Deliveries.sign(body, clock.millis());
        Registration again = Deliveries.registration();
        registration.registered(new Registration(again.id(), again.address(), again.rank(), "a-new-lease-token",
                again.leaseTtlMs(), again.epoch()));

        MvcTestResult result = mvc.post().uri("/api/v1/commands").contentType(MediaType.APPLICATION_JSON)
                .header(RankHeaders.TIMESTAMP, Long.toString(clock.millis())).header(RankHeaders.SIGNATURE, signature)
                .content(body).exchange();

        assertProblem(result, ProblemType.INVALID_SIGNATURE);
        assertNothingExecuted(output);
    }

    @Test
    void receive_wrongContentType_refusedWith415() {
        MvcTestResult result = mvc.post().uri("/api/v1/commands").contentType(MediaType.TEXT_PLAIN)
                .content(aDelivery(REFUSED_ID)).exchange();

        assertProblem(result, ProblemType.UNSUPPORTED_MEDIA_TYPE);
        assertThat(executedIds()).doesNotContain(REFUSED_ID);
    }

    @Test
    void receive_noContentType_refusedWith415() {
        MvcTestResult result = mvc.post().uri("/api/v1/commands").content(aDelivery(REFUSED_ID)).exchange();

        assertProblem(result, ProblemType.UNSUPPORTED_MEDIA_TYPE);
    }

    @Test
    void receive_unknownPath_answersNotFoundProblemInTheServersWords() {
        MvcTestResult result = mvc.get().uri("/api/v1/nothing-here").exchange();

        assertProblem(result, ProblemType.NOT_FOUND);
        assertThat(result).bodyJson().extractingPath("$.detail").isEqualTo("no such endpoint: GET /api/v1/nothing-here");
    }

    @Test
    void executed_onlyHtmlAcceptable_answersNotAcceptableProblem() {
        assertProblem(mvc.get().uri("/api/v1/commands").accept(MediaType.TEXT_HTML).exchange(), ProblemType.NOT_ACCEPTABLE);
    }

    @Test
    void receive_wrongMethod_answersMethodNotAllowedProblem() {
        assertProblem(mvc.method(HttpMethod.DELETE).uri("/api/v1/commands").exchange(), ProblemType.METHOD_NOT_ALLOWED);
    }

    @Test
    void receive_validDelivery_executesAndLogsIt(CapturedOutput output) {
        String id = uniqueId();

        assertThat(post(aDelivery(id, 0, 2))).hasStatus(204);

        assertThat(output.getOut()).contains("Executed 'flush-cache' from 10.0.0.2:8080 (rank 0) at rank 2");
        assertThat(mvc.get().uri("/api/v1/commands")).hasStatusOk().bodyJson().extractingPath("$[0]").asMap()
                .containsExactlyInAnyOrderEntriesOf(Map.of("commandId", id, "command", "flush-cache",
                        "senderAddress", "10.0.0.2:8080", "senderRank", 0, "receiverRank", 2, "epoch", 7,
                        "executedAt", "2026-11-23T21:00:01Z"));
    }

    @Test
    void receive_sameCommandIdTwice_executesOnceAndAnswers204Both(CapturedOutput output) {
        String id = uniqueId();

        assertThat(post(aDelivery(id))).hasStatus(204);
        assertThat(post(aDelivery(id))).hasStatus(204);

        assertThat(executedIds()).containsOnlyOnce(id);
        assertThat(output.getOut().split("Executed 'flush-cache'", -1)).hasSize(2);
    }

    @Test
    void receive_unknownField_ignoredAndExecuted() {
        String id = uniqueId();

        assertThat(post(aDelivery(id).replace("{", "{\"future\":1,"))).hasStatus(204);

        assertThat(executedIds()).contains(id);
    }

    @Test
    void executed_moreThan100_listsLast100NewestFirst() {
        String prefix = uniqueId() + "-";
        IntStream.range(0, 105).forEach(i -> assertThat(post(aDelivery(prefix + i))).hasStatus(204));

        assertThat(executedIds()).containsExactlyElementsOf(
                IntStream.iterate(104, i -> i >= 5, i -> i - 1).mapToObj(i -> prefix + i).toList());
    }

    /** Posts a body signed for this client's registration, as the server would. */
    private MvcTestResult post(String body) {
        long now = clock.millis();
        return mvc.post().uri("/api/v1/commands").contentType(MediaType.APPLICATION_JSON)
                .header(RankHeaders.TIMESTAMP, Long.toString(now)).header(RankHeaders.SIGNATURE, Deliveries.sign(body, now))
                .content(body).exchange();
    }

    private List<String> executedIds() {
        MvcTestResult result = mvc.get().uri("/api/v1/commands").exchange();
        assertThat(result).hasStatusOk();
        try {
            return JsonPath.read(result.getResponse().getContentAsString(), "$[*].commandId");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String uniqueId() {
        return "c-" + UUID.randomUUID();
    }

    private void assertNothingExecuted(CapturedOutput output) {
        assertThat(executedIds()).doesNotContain(REFUSED_ID);
        assertThat(output.getOut()).doesNotContain("Executed '");
    }

    static void assertProblem(MvcTestResult result, ProblemType expected) {
        assertThat(result).hasStatus(expected.status())
                .hasContentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON);
        assertThat(result).bodyJson().extractingPath("$.type").isEqualTo(expected.uri().toString());
        assertThat(result).bodyJson().extractingPath("$.status").isEqualTo(expected.status());
        assertThat(result).bodyJson().extractingPath("$.detail").asString().isNotBlank();
    }
}
