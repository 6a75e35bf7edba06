package dev.rankcluster.server.system;

import java.time.Clock;
import org.apache.catalina.core.StandardHost;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.type.LogicalType;

/** Time sources, strict JSON, and the start-up warnings an operator must not miss. */
@Configuration(proxyBeanMethods = false)
class SystemConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SystemConfiguration.class);

    private final ClusterProperties cluster;
    private final RankServerProperties server;

    SystemConfiguration(ClusterProperties cluster, RankServerProperties server) {
        this.cluster = cluster;
        this.server = server;
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    PauseAwareTicker ticker() {
        return PauseAwareTicker.system();
    }

    /** A number or boolean where text is expected is a client's mistake, not something to stringify. */
    @Bean
    JsonMapperBuilderCustomizer textIsText() {
        return builder -> builder.withCoercionConfig(LogicalType.Textual, text -> text
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail));
    }

    /** Requests Tomcat refuses on its own are answered with problems too. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> problemErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
            }
        });
    }

    @EventListener(ApplicationStartedEvent.class)
    void warnAboutOpenAccess() {
        if (cluster.clusterToken().isEmpty()) {
            log.warn("rank.cluster.token (RANK_CLUSTER_TOKEN) is not set: the cluster runs open, anyone who reaches "
                    + "this server can register (deliveries are still signed for each member)");
        }
        if (server.adminToken() == null) {
            log.info("rank.server.admin-token is not set: operators cannot remove members");
        }
    }
}
