package dev.rankcluster.server.system;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.CommandEvent;
import dev.rankcluster.model.SessionEvent;
import dev.rankcluster.server.events.CommandFannedOut;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.session.MemberSessions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The meters of {@code /actuator/prometheus}: {@code rank_members}, {@code rank_registrations_total},
 * {@code rank_removals_total{reason}}, {@code rank_commands_total}, {@code rank_deliveries_total{outcome,transport}},
 * {@code rank_fanout_seconds}, {@code rank_sessions_open} and {@code rank_session_closes_total{cause}}.
 */
@Component
class ClusterMetrics {

    private final MeterRegistry registry;
    private final Counter registrations;
    private final Counter commands;
    private final Counter deliveredOverHttp;
    private final Counter failedOverHttp;
    private final Counter deliveredOnSessions;
    private final Counter failedOnSessions;
    private final Timer fanout;

    ClusterMetrics(MeterRegistry registry, Membership membership, MemberSessions sessions) {
        this.registry = registry;
        Gauge.builder("rank.members", membership, m -> m.snapshot().size())
                .description("Members in the ranking").register(registry);
        this.registrations = Counter.builder("rank.registrations").description("Members that joined").register(registry);
        this.commands = Counter.builder("rank.commands").description("Commands fanned out").register(registry);
        this.deliveredOverHttp = deliveries("delivered", "http");
        this.failedOverHttp = deliveries("failed", "http");
        this.deliveredOnSessions = deliveries("delivered", "session");
        this.failedOnSessions = deliveries("failed", "session");
        Gauge.builder("rank.sessions.open", sessions, MemberSessions::open)
                .description("Members' sessions open with this server").register(registry);
        this.fanout = Timer.builder("rank.fanout").description("Time from a command to the last delivery's outcome")
                .register(registry);
    }

    private Counter deliveries(String outcome, String transport) {
        return Counter.builder("rank.deliveries").description("Deliveries of commands to members")
                .tag("outcome", outcome).tag("transport", transport).register(registry);
    }

    @EventListener
    void on(RankingChanged change) {
        if (change.reason() == ChangeReason.JOINED) {
            registrations.increment();
        } else if (change.reason() != ChangeReason.SNAPSHOT) {
            Counter.builder("rank.removals").description("Members removed, by reason")
                    .tag("reason", change.reason().wireName()).register(registry).increment();
        }
    }

    @EventListener
    void on(SessionEvent session) {
        if (!session.open()) {
            Counter.builder("rank.session.closes").description("Sessions closed, by cause")
                    .tag("cause", session.cause()).register(registry).increment();
        }
    }

    @EventListener
    void on(CommandFannedOut fannedOut) {
        CommandEvent command = fannedOut.command();
        commands.increment();
        deliveredOnSessions.increment(fannedOut.deliveredOnSessions());
        failedOnSessions.increment(fannedOut.failedOnSessions());
        deliveredOverHttp.increment(command.delivered() - fannedOut.deliveredOnSessions());
        failedOverHttp.increment(command.failed().size() - fannedOut.failedOnSessions());
        fanout.record(fannedOut.duration());
    }
}
