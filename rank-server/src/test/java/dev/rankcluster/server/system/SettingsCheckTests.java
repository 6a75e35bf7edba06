package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.server.RankServerApplication;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Starts the server as a user would, with a bad setting, and reads what it prints. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsCheckTests {

    private static void start(String... args) {
        var application = new SpringApplication(RankServerApplication.class);
        assertThatThrownBy(() -> application.run(args)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            --rank.server.store=mongo        | Invalid value 'mongo' for configuration property 'rank.server.store' | allowed values: memory, redis
            --rank.server.lease-ttl=10       | Invalid value '10' for configuration property 'rank.server.lease-ttl' | a duration needs a unit, such as 10s or 10ms
            --server.port=70000              | Invalid value '70000' for configuration property 'server.port'       | a port is a number from 1 to 65535
            --rank.server.trust-advertised-host=yes | 'rank.server.trust-advertised-host'                          | allowed values: true, false
            """)
    void start_badValue_shortFailureAnalysisNamingPropertyValueAndWhatIsAllowed(String arg, String named, String allowed,
                                                                              CapturedOutput output) {
        start("--spring.main.banner-mode=off", arg);

        assertThat(output).contains("APPLICATION FAILED TO START").contains(named).contains(allowed)
                .doesNotContain("\tat ");
    }

    @Test
    void start_mistypedName_warnsNamingItAndTheNearestSetting(CapturedOutput output) {
        start("--spring.main.banner-mode=off", "--rank.server.lease-tll=5s", "--rank.server.store=mongo");

        assertThat(output).contains("Unknown property rank.server.lease-tll is ignored; did you mean rank.server.lease-ttl?");
    }
}
