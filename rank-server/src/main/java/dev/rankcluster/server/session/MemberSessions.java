package dev.rankcluster.server.session;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.SessionEvent;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.membership.SessionPresence;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The sessions open with this server, one per member at most. When a session ends without the member leaving,
 * the member's address is probed: nothing there means the process is gone, and the member is removed at once
 * ({@code disconnected}); a live process keeps its rank and its lease.
 */
@Component
public class MemberSessions implements SessionPresence, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(MemberSessions.class);

    /** Before each probe of a member whose session ended: at once, then twice more within half a second. */
    static final List<Duration> PROBE_PAUSES = List.of(Duration.ZERO, Duration.ofMillis(150), Duration.ofMillis(350));

    private final Map<String, MemberSession> byMember = new ConcurrentHashMap<>();
    private final Map<String, MemberSession> byAddress = new ConcurrentHashMap<>();
    private final Membership membership;
    private final ApplicationEventPublisher events;
    private final Duration probeTimeout;
    private volatile boolean running;

    MemberSessions(Membership membership, ApplicationEventPublisher events, RankServerProperties properties) {
        this.membership = membership;
        this.events = events;
        this.probeTimeout = properties.sessionProbeTimeout();
    }

    /** The member's open session, if it has one with this server. */
    public Optional<MemberSession> of(String memberId) {
        return Optional.ofNullable(byMember.get(memberId));
    }

    @Override
    public boolean isOnSession(String memberId) {
        return byMember.containsKey(memberId);
    }

    public int open() {
        return byMember.size();
    }

    void opened(MemberSession session) {
        MemberSession previous = byMember.put(session.memberId(), session);
        MemberSession previousAtAddress = byAddress.put(session.address(), session);
        // The replaced sessions' closes are told before this open, so that watchers end up with the truth.
        if (previous != null) {
            previous.close(CloseCause.REPLACED, "replaced by a newer session");
            reportClosed(previous, CloseCause.REPLACED, null);
        }
        if (previousAtAddress != null && previousAtAddress != previous) {
            previousAtAddress.close(CloseCause.REPLACED, "a newer registration took the address");
            reportClosed(previousAtAddress, CloseCause.REPLACED, null);
        }
        log.info("Session opened by {}", session.address());
        events.publishEvent(new SessionEvent(session.memberId(), session.address(), true, null));
    }

    void closed(MemberSession session, int code, String reason) {
        byMember.remove(session.memberId(), session);
        byAddress.remove(session.address(), session);
        CloseCause cause = session.ended();
        reportClosed(session, cause, reason == null || reason.isBlank() ? "code " + code : reason);
        if (cause.needsProbe()) {
            Thread.ofVirtual().name("session-probe").start(() -> probe(session));
        }
    }

    private void reportClosed(MemberSession session, CloseCause cause, String reason) {
        if (session.reportClose()) {
            log.info("Session of {} closed ({}{})", session.address(), cause.wireName(), reason == null ? "" : ": " + reason);
            events.publishEvent(new SessionEvent(session.memberId(), session.address(), false, cause.wireName()));
        }
    }

    /** Drops a member's session as a broken connection would (the member is probed); false if it has none. */
    boolean drop(String memberId) {
        MemberSession session = byMember.get(memberId);
        if (session == null) {
            return false;
        }
        session.close(CloseCause.OPERATOR, "dropped by an operator");
        return true;
    }

    /**
     * Probes the member's address a few times over half a second: a process being killed may still accept a
     * connection while the kernel closes its sockets one by one (its session's first), so one answer is not yet
     * proof of life. Nothing answering, once, is proof of death.
     */
    private void probe(MemberSession session) {
        MemberProbe.Outcome outcome = null;
        for (Duration wait : PROBE_PAUSES) {
            if (!pause(wait)) {
                return;
            }
            outcome = MemberProbe.probe(session.address(), probeTimeout);
            if (!outcome.answered()) {
                if (membership.disconnect(session.memberId(), session.leaseToken())) {
                    log.warn("Nothing answers at {} after its session ended ({}): removed as disconnected",
                            session.address(), outcome.description());
                }
                return;
            }
        }
        log.info("{} still answers after its session ended: it keeps its rank and its lease", session.address());
    }

    private static boolean pause(Duration wait) {
        try {
            Thread.sleep(wait);
            return true;
        } catch (InterruptedException stopping) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A member that left or was removed has its session closed, with the reason. */
    @EventListener
    void on(RankingChanged change) {
        if (change.address() == null || change.reason() == ChangeReason.JOINED || change.reason() == ChangeReason.SNAPSHOT) {
            return;
        }
        MemberSession session = byAddress.get(change.address());
        // A removal reported late must not close the session of a newer member at the same address.
        if (session == null || membership.find(session.memberId()).isPresent()) {
            return;
        }
        if (change.reason() == ChangeReason.LEFT) {
            session.close(CloseCause.LEFT, "unregistered");
        } else {
            session.close(CloseCause.GONE, "no longer registered: " + change.reason().wireName());
        }
    }

    @Override
    public void start() {
        running = true;
    }

    /** Closes every session before the web server stops, so that no member is taken for dead (and probed). */
    @Override
    public void stop() {
        running = false;
        byMember.values().forEach(session -> session.close(CloseCause.SHUTDOWN, "the server is shutting down"));
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
