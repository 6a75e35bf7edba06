package dev.rankcluster.server.membership.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Configuration;

class RedisStorePropertiesTests {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(RedisStoreProperties.class)
    static class Bound {
    }

    final ApplicationContextRunner context = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void bind_nothingSet_acknowledgedOnceThePrimaryHasIt() {
        context.run(started -> {
            RedisStoreProperties properties = started.getBean(RedisStoreProperties.class);
            assertThat(properties.minReplicasAcknowledged()).isZero();
            assertThat(properties.replicaAckTimeout()).isEqualTo(Duration.ofSeconds(1));
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"rank.server.redis.min-replicas-acknowledged=-1",
            "rank.server.redis.min-replicas-acknowledged=one", "rank.server.redis.replica-ack-timeout=0ms"})
    void bind_badValue_startUpFailsNamingTheProperty(String setting) {
        context.withPropertyValues(setting).run(started -> {
            assertThat(started).hasFailed();
            assertThat(started.getStartupFailure()).hasStackTraceContaining("rank.server.redis");
        });
    }
}
