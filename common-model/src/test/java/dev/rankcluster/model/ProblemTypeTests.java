package dev.rankcluster.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProblemTypeTests {

    @ParameterizedTest
    @CsvSource({"400, INVALID_REQUEST", "401, UNAUTHORIZED", "403, FORBIDDEN", "404, NOT_FOUND",
            "405, METHOD_NOT_ALLOWED", "406, NOT_ACCEPTABLE", "413, PAYLOAD_TOO_LARGE", "415, UNSUPPORTED_MEDIA_TYPE",
            "410, DELIVERY_EXPIRED", "429, RATE_LIMITED", "500, INTERNAL_ERROR", "503, SERVICE_UNAVAILABLE"})
    void forStatus_statusOfTheContract_itsGenericType(int status, ProblemType expected) {
        assertThat(ProblemType.forStatus(status)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(ints = {402, 408, 409, 414, 418, 431, 499})
    void forStatus_otherClientError_invalidRequest(int status) {
        assertThat(ProblemType.forStatus(status)).isEqualTo(ProblemType.INVALID_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(ints = {501, 502, 504, 505, 599})
    void forStatus_otherServerError_internalError(int status) {
        assertThat(ProblemType.forStatus(status)).isEqualTo(ProblemType.INTERNAL_ERROR);
    }

    @Test
    void forStatus_everyStatusOfAType_typeWithThatStatus() {
        Arrays.stream(ProblemType.values()).mapToInt(ProblemType::status).forEach(status ->
                assertThat(ProblemType.forStatus(status).status()).as("status %d", status).isEqualTo(status));
    }

    @Test
    void forStatus_typesOnlyOurCodeKnows_neverChosen() {
        assertThat(Arrays.stream(ProblemType.values()).mapToInt(ProblemType::status).mapToObj(ProblemType::forStatus))
                .doesNotContain(ProblemType.CLUSTER_FULL, ProblemType.RANK_VIOLATION, ProblemType.INVALID_SIGNATURE,
                        ProblemType.MISADDRESSED);
    }
}
