package dev.rankcluster.server.membership;

import dev.rankcluster.server.system.PauseAwareTicker;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class MembershipConfiguration {

    /** The default store; {@code rank.server.store=redis} selects the shared one instead. */
    @Bean
    @ConditionalOnProperty(name = "rank.server.store", havingValue = "memory", matchIfMissing = true)
    Membership membership(RankServerProperties properties, PauseAwareTicker ticker, Clock clock,
                          ApplicationEventPublisher events) {
        return CaffeineMembership.of(properties, ticker, clock, events);
    }
}
