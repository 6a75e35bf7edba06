package dev.rankcluster.systemtests;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the README's walkthrough is read and its answers compared, without running anything. */
class ReadmeWalkthroughTests {

    private static final String README = """
            # A project

            ```bash
            echo not part of the walkthrough
            ```

            <!-- walkthrough:start -->
            Start it:

            ```bash
            java -jar app.jar --server.port=18080 &
            ```

            Register:

            ```bash
            curl -s -i http://localhost:18080/api/v1/members -d '{"port": 18081}'
            ```
            ```
            HTTP/1.1 201
            Location: /api/v1/members/abc
            Content-Type: application/json

            {"id":"abc","rank":0,"epoch":1,"members":[{"rank":0,"joinedAt":"2026-12-02T08:27:51Z"}]}
            ```
            <!-- walkthrough:end -->
            """;

    private static final String ANSWER = """
            HTTP/1.1 201\s
            Location: /api/v1/members/xyz
            Content-Type: application/json
            Date: Wed, 02 Dec 2026 08:27:51 GMT

            {"id":"xyz","rank":0,"epoch":1,"members":[{"rank":0,"joinedAt":"2026-12-03T10:00:00Z"}]}
            """;

    @Test
    void steps_areTheBashBlocksBetweenTheMarkers_withTheOutputShownAfterThem() {
        ReadmeWalkthrough walkthrough = ReadmeWalkthrough.of(README);

        assertThat(walkthrough.steps()).hasSize(2);
        assertThat(walkthrough.steps().get(0).shown()).isNull();
        assertThat(walkthrough.steps().get(1).commands()).startsWith("curl -s -i http://localhost:18080/");
        assertThat(walkthrough.steps().get(1).shown()).startsWith("HTTP/1.1 201\n");
        assertThat(walkthrough.ports()).containsExactly(18080);
    }

    @Test
    void otherPorts_replaceEveryOccurrenceOfAPort() {
        ReadmeWalkthrough moved = ReadmeWalkthrough.of(README).withPorts(Map.of(18080, 40123));

        assertThat(moved.ports()).containsExactly(40123);
        assertThat(moved.steps().get(1).commands()).contains("localhost:40123/").contains("\"port\": 18081");
    }

    @Test
    void script_marksEveryStep_soThatEachStepGetsItsOwnOutput() {
        ReadmeWalkthrough walkthrough = ReadmeWalkthrough.of(README);

        var outputs = walkthrough.outputsOf("\n@@walkthrough-step 0@@\n\n@@walkthrough-step 1@@\n" + ANSWER);

        assertThat(walkthrough.script()).contains("@@walkthrough-step 0@@", "@@walkthrough-step 1@@");
        assertThat(outputs).hasSize(2);
        assertThat(outputs.get(1)).startsWith("HTTP/1.1 201");
    }

    @Test
    void answers_matchWhatTheReadmeShows_whateverTheIdsAndTimes() {
        ShownAnswers shown = ShownAnswers.of(ReadmeWalkthrough.of(README).steps().get(1).shown());

        assertThat(shown.matches(ShownAnswers.of(ANSWER))).isTrue();
    }

    @Test
    void answers_differ_inStatus_fields_orValuesThatDoNotVary() {
        ShownAnswers shown = ShownAnswers.of(ReadmeWalkthrough.of(README).steps().get(1).shown());

        assertThat(shown.matches(ShownAnswers.of(ANSWER.replace("HTTP/1.1 201", "HTTP/1.1 200")))).isFalse();
        assertThat(shown.matches(ShownAnswers.of(ANSWER.replace("\"epoch\":1,", "")))).isFalse();
        assertThat(shown.matches(ShownAnswers.of(ANSWER.replace("\"rank\":0,\"epoch\"", "\"rank\":1,\"epoch\"")))).isFalse();
        assertThat(shown.matches(ShownAnswers.of(ANSWER.replace("application/json", "application/problem+json")))).isFalse();
        assertThat(shown.matches(ShownAnswers.of(ANSWER.replace("Location: /api/v1/members/xyz\n", "")))).isFalse();
    }

    @Test
    void readmeWithoutMarkers_isRefused() {
        assertThatThrownBy(() -> ReadmeWalkthrough.of("# nothing to run")).hasMessageContaining("walkthrough:start");
    }
}
