package dev.rankcluster.client.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.client.RankClientApplication;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;

class RankClientPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({RankClientProperties.class, ClusterProperties.class})
    static class Binding {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Binding.class);

    @Test
    void bind_nothingSet_contractDefaults() {
        runner.run(context -> {
            RankClientProperties properties = context.getBean(RankClientProperties.class);
            assertThat(properties.serverUrl()).containsExactly(URI.create("http://localhost:8080"));
            assertThat(properties.advertisedPortIfSet()).isEmpty();
            assertThat(properties.advertisedHost()).isNull();
            assertThat(properties.sendEnabled()).isTrue();
            assertThat(properties.sendIntervalMin()).isEqualTo(Duration.ofSeconds(5));
            assertThat(properties.sendIntervalMax()).isEqualTo(Duration.ofSeconds(15));
            assertThat(properties.commands()).contains("flush-cache", "ping").hasSizeGreaterThan(2);
            assertThat(properties.unregisterTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(context.getBean(ClusterProperties.class).tokenIfSet()).isEmpty();
        });
    }

    @Test
    void bind_environmentVariables_boundLikeProperties() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("RANK_CLIENT_SERVER_URL", "http://server:8080",
                                        "RANK_CLUSTER_TOKEN", "s3cret",
                                        "RANK_CLIENT_SEND_INTERVAL_MAX", "20s",
                                        "RANK_CLIENT_COMMANDS", "warm-up,ping"))))
                .run(context -> {
                    assertThat(context.getBean(RankClientProperties.class).serverUrl()).containsExactly(URI.create("http://server:8080"));
                    assertThat(context.getBean(RankClientProperties.class).sendIntervalMax()).isEqualTo(Duration.ofSeconds(20));
                    assertThat(context.getBean(RankClientProperties.class).commands()).containsExactly("warm-up", "ping");
                    assertThat(context.getBean(ClusterProperties.class).tokenIfSet()).contains("s3cret");
                });
    }

    @Test
    void toString_clusterTokenSet_hidesIt() {
        assertThat(new ClusterProperties("s3cret").toString()).doesNotContain("s3cret").contains("set");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            rank.client.send-interval-min=20s          | send-interval-max at least send-interval-min
            rank.client.send-interval-min=0s           | send-interval-min must be positive
            rank.client.send-interval-max=soon         | is not a valid duration
            rank.client.advertised-port=0              | rank.client.advertised-port must be 1 to 65535, got 0
            rank.client.advertised-port=65536          | rank.client.advertised-port must be 1 to 65535, got 65536
            rank.client.advertised-port=eighty         | rank.client.advertised-port
            rank.client.server-url=localhost:8080      | absolute http or https URL
            rank.client.server-url=ftp://server/       | absolute http or https URL
            rank.client.server-url=http://             | rank.client.server-url
            rank.client.server-url=                    | rank.client.server-url must name at least one server
            rank.client.commands[0]=                   | every command must be 1 to 256 printable characters
            rank.client.commands=                      | rank.client.commands must hold at least one command
            rank.client.request-timeout=0s             | rank.client.request-timeout must be positive
            rank.client.unregister-timeout=-1s         | rank.client.unregister-timeout must be positive
            """)
    void bind_badValue_failsNamingTheProblem(String property, String expectedMessage) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messagesOf(context.getStartupFailure())).contains(expectedMessage);
        });
    }

    @Test
    void run_badValue_applicationDoesNotStart() {
        var application = new SpringApplication(RankClientApplication.class);

        assertThatThrownBy(() -> application.run("--server.port=0", "--rank.client.send-interval-min=20s",
                "--rank.client.send-enabled=false", "--spring.main.banner-mode=off"))
                .satisfies(failure -> assertThat(messagesOf(failure)).contains("send-interval-max at least send-interval-min"));
    }

    private static String messagesOf(Throwable failure) {
        var messages = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }
}
