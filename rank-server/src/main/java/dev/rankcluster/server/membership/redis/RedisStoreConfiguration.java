package dev.rankcluster.server.membership.redis;

import dev.rankcluster.server.command.CommandRateLimiter;
import dev.rankcluster.server.system.PauseAwareTicker;
import dev.rankcluster.server.system.RankServerProperties;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.resource.Delay;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/** {@code rank.server.store=redis}: the membership lives in Redis ({@code spring.data.redis.*}), shared by every server. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "rank.server.store", havingValue = "redis")
class RedisStoreConfiguration {

    @Bean
    ReplicaAcknowledgedWrites replicaAcknowledgedWrites(RedisConnectionFactory redis, RedisStoreProperties properties) {
        return new ReplicaAcknowledgedWrites(redis, properties.minReplicasAcknowledged(), properties.replicaAckTimeout());
    }

    @Bean
    MembershipScripts membershipScripts(StringRedisTemplate redis, ReplicaAcknowledgedWrites acknowledgedWrites) {
        return new MembershipScripts(redis, acknowledgedWrites);
    }

    @Bean
    RankingFeed rankingFeed(MembershipScripts scripts, ApplicationEventPublisher events, PauseAwareTicker ticker) {
        return new RankingFeed(scripts, events, ticker);
    }

    @Bean
    RankingSubscription rankingSubscription(RedisConnectionFactory redis, RankingFeed feed) {
        return new RankingSubscription(redis, feed);
    }

    @Bean
    RedisMembership membership(MembershipScripts scripts, RankingFeed feed, RankingSubscription subscription,
                               RankServerProperties properties, Clock clock) {
        return new RedisMembership(scripts, feed, subscription, properties.maxMembers(), properties.leaseTtl(),
                properties.maxFailedDeliveries(), clock);
    }

    /** The renewals of session frames, in batches: a frame does not cost a round trip to Redis. */
    @Bean
    BatchedSessionLeases sessionLeases(RedisMembership membership) {
        return new BatchedSessionLeases(membership::renewLeases);
    }

    @Bean
    CommandRateLimiter commandRateLimiter(MembershipScripts scripts, RankServerProperties properties) {
        return new RedisCommandRateLimiter(scripts, properties.maxCommandsPerSecond());
    }

    @Bean
    RedisStoreHealth membershipStoreHealthIndicator(MembershipScripts scripts) {
        return new RedisStoreHealth(scripts);
    }

    /** While the connection is down, commands fail at once (503) instead of queueing until they time out. */
    @Bean
    LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
        return options -> options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS);
    }

    /** Reconnects keep trying every second at most, so service resumes soon after Redis returns. */
    @Bean
    ClientResourcesBuilderCustomizer reconnectQuickly() {
        return resources -> resources.reconnectDelay(
                Delay.exponential(Duration.ofMillis(100), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS));
    }
}
