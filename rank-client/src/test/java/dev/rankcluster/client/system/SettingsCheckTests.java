package dev.rankcluster.client.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.client.RankClientApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Starts the client as a user would, with a bad setting, and reads what it prints. */
@ExtendWith(OutputCaptureExtension.class)
class SettingsCheckTests {

    private static void start(String... args) {
        var application = new SpringApplication(RankClientApplication.class);
        assertThatThrownBy(() -> application.run(args)).isNotNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            --server.port=70000                                      | 'server.port'             | a port is a number from 1 to 65535
            --rank.client.server-url=http://localhost:99999          | 'rank.client.server-url'  | 'http://localhost:99999' is not a server URL
            --rank.client.server-url=http://a:8080,ftp://b           | 'rank.client.server-url'  | 'ftp://b' is not a server URL: each needs http or https
            --rank.client.send-interval-min=5                        | 'rank.client.send-interval-min' | a duration needs a unit, such as 5s or 5ms
            --rank.client.send-enabled=maybe                         | 'rank.client.send-enabled' | allowed values: true, false
            """)
    void start_badValue_shortFailureAnalysisNamingPropertyValueAndWhatIsAllowed(String arg, String named, String allowed,
                                                                              CapturedOutput output) {
        start("--spring.main.banner-mode=off", arg);

        assertThat(output).contains("APPLICATION FAILED TO START").contains("Invalid value").contains(named)
                .contains(allowed).doesNotContain("\tat ");
    }

    @Test
    void start_mistypedName_warnsNamingItAndTheNearestSetting(CapturedOutput output) {
        start("--spring.main.banner-mode=off", "--rank.client.sever-url=http://localhost:8080", "--server.port=70000");

        assertThat(output).contains("Unknown property rank.client.sever-url is ignored; did you mean rank.client.server-url?");
    }

    @Test
    void isServerUrl_examples() {
        assertThat(SettingsCheck.isServerUrl("http://localhost:8080")).isTrue();
        assertThat(SettingsCheck.isServerUrl("https://rank.example.com")).isTrue();
        assertThat(SettingsCheck.isServerUrl("http://localhost:0")).isFalse();
        assertThat(SettingsCheck.isServerUrl("localhost:8080")).isFalse();
        assertThat(SettingsCheck.isServerUrl("http://")).isFalse();
    }
}
