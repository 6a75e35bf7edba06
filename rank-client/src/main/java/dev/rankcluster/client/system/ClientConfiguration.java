package dev.rankcluster.client.system;

import java.time.Clock;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class ClientConfiguration {

    /** The one source of "now", so that tests can move time (signature freshness, execution times). */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
