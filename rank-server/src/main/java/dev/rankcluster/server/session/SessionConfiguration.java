package dev.rankcluster.server.session;

import dev.rankcluster.model.SessionProtocol;
import dev.rankcluster.server.membership.DepartedMembers;
import dev.rankcluster.server.membership.LastHeard;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.system.RankServerProperties;
import java.util.concurrent.CompletableFuture;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;
import tools.jackson.databind.json.JsonMapper;

/** Member sessions at {@code /api/v1/members/{id}/session}, on the server's own Tomcat. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class SessionConfiguration implements WebSocketConfigurer {

    private final MemberSessions sessions;
    private final SessionLeases leases;
    private final Membership membership;
    private final DepartedMembers departed;
    private final LastHeard lastHeard;
    private final JsonMapper json;
    private final RankServerProperties properties;

    SessionConfiguration(MemberSessions sessions, SessionLeases leases, Membership membership,
                         DepartedMembers departed, LastHeard lastHeard, JsonMapper json,
                         RankServerProperties properties) {
        this.sessions = sessions;
        this.leases = leases;
        this.membership = membership;
        this.departed = departed;
        this.lastHeard = lastHeard;
        this.json = json;
        this.properties = properties;
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new SessionHandler(sessions, leases, departed, lastHeard, json, properties),
                        SessionProtocol.path("*"))
                .addInterceptors(new SessionHandshake(membership, departed, lastHeard, json));
    }

    /** Frames are small: anything larger than the protocol allows closes the session (1009). */
    @Bean
    ServletServerContainerFactoryBean sessionContainer() {
        var container = new ServletServerContainerFactoryBean();
        container.setMaxTextMessageBufferSize(SessionProtocol.MAX_FRAME);
        container.setMaxBinaryMessageBufferSize(SessionProtocol.MAX_FRAME);
        return container;
    }

    /** Each renewal goes to the membership at once: cheap in memory. The Redis store renews in batches instead. */
    @Bean
    @ConditionalOnProperty(name = "rank.server.store", havingValue = "memory", matchIfMissing = true)
    static SessionLeases sessionLeases(Membership membership) {
        return (memberId, leaseToken) -> {
            try {
                return CompletableFuture.completedFuture(membership.renewLease(memberId, leaseToken));
            } catch (RuntimeException refused) {
                return CompletableFuture.failedFuture(refused);
            }
        };
    }
}
