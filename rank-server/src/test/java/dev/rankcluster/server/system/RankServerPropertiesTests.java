package dev.rankcluster.server.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class RankServerPropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({RankServerProperties.class, ClusterProperties.class})
    static class Bound {
    }

    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void bind_nothingSet_defaultsOfTheContract() {
        context.run(started -> {
            RankServerProperties properties = started.getBean(RankServerProperties.class);
            assertThat(properties.maxMembers()).isEqualTo(10_000);
            assertThat(properties.leaseTtl()).isEqualTo(Duration.ofSeconds(10));
            assertThat(properties.deliveryTimeout()).isEqualTo(Duration.ofSeconds(2));
            assertThat(properties.maxFailedDeliveries()).isEqualTo(3);
            assertThat(properties.maxCommandsPerSecond()).isEqualTo(5);
            assertThat(properties.trustAdvertisedHost()).isFalse();
            assertThat(properties.adminToken()).isNull();
            assertThat(properties.store()).isEqualTo(RankServerProperties.Store.MEMORY);
            assertThat(started.getBean(ClusterProperties.class).clusterToken()).isEmpty();
        });
    }

    @Test
    void bind_tokens_keptButNeverPrinted() {
        context.withPropertyValues("rank.server.admin-token=s3cret-admin", "rank.cluster.token=s3cret-cluster")
                .run(started -> {
                    assertThat(started.getBean(RankServerProperties.class).adminToken()).isEqualTo("s3cret-admin");
                    assertThat(started.getBean(ClusterProperties.class).clusterToken()).hasValue("s3cret-cluster");
                    assertThat(started.getBean(RankServerProperties.class).toString()).doesNotContain("s3cret");
                    assertThat(started.getBean(ClusterProperties.class).toString()).doesNotContain("s3cret");
                });
    }

    static List<String> messagesOf(Throwable failure) {
        List<String> messages = new ArrayList<>();
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            messages.add(String.valueOf(cause.getMessage()));
        }
        return messages;
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "rank.server.max-members, 0, maxMembers",
            "rank.server.max-members, many, max-members",
            "rank.server.lease-ttl, 0s, leaseTtl",
            "rank.server.lease-ttl, 10 apples, lease-ttl",
            "rank.server.delivery-timeout, -1s, deliveryTimeout",
            "rank.server.max-clock-skew, 2s, max-clock-skew",
            "rank.server.max-concurrent-deliveries, 0, maxConcurrentDeliveries",
            "rank.server.max-failed-deliveries, 0, maxFailedDeliveries",
            "rank.server.max-commands-per-second, -5, maxCommandsPerSecond",
            "rank.server.trust-advertised-host, maybe, trust-advertised-host",
            "rank.server.store, mongo, store"})
    void bind_badValue_startFailsNamingTheProperty(String property, String value, String named) {
        context.withPropertyValues(property + "=" + value).run(started -> {
            assertThat(started).hasFailed();
            assertThat(messagesOf(started.getStartupFailure())).as("the failure names the property")
                    .anySatisfy(message -> assertThat(message).contains(named));
        });
    }
}
