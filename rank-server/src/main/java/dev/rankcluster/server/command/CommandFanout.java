package dev.rankcluster.server.command;

import dev.rankcluster.model.CommandEvent;
import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.CommandText;
import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.FailedDelivery;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.events.CommandFannedOut;
import dev.rankcluster.server.membership.CommandTargets;
import dev.rankcluster.server.membership.DeliveryOutcome;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;

/**
 * Sends a member's command to every lower rank (or to its one target) at once and reports the outcome.
 * Everything that can be refused is refused before the first delivery leaves. Every delivery expires
 * {@code delivery-timeout − max-clock-skew} after it was issued: a member executes it only before then, so one
 * reported {@code timed out} at the delivery timeout was not executed, unless only its answer was lost.
 */
@Service
class CommandFanout {

    private static final Logger log = LoggerFactory.getLogger(CommandFanout.class);

    private final Membership membership;
    private final CommandRateLimiter rateLimiter;
    private final DeliveryRouter deliveries;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final Duration deliveryLifetime;

    CommandFanout(Membership membership, CommandRateLimiter rateLimiter, DeliveryRouter deliveries,
                  ApplicationEventPublisher events, Clock clock, RankServerProperties properties) {
        this.membership = membership;
        this.rateLimiter = rateLimiter;
        this.deliveries = deliveries;
        this.events = events;
        this.clock = clock;
        this.deliveryLifetime = properties.deliveryLifetime();
    }

    CommandReport send(String leaseToken, CommandRequest request) {
        if (leaseToken == null || leaseToken.isBlank()) {
            throw ProblemException.unauthorized("sending a command needs the sender's " + RankHeaders.LEASE_TOKEN + " header");
        }
        validate(request);
        CommandTargets plan = membership.commandTargets(request.senderId(), leaseToken, request.targetId());
        rateLimiter.acquire(request.senderId());

        String commandId = UUID.randomUUID().toString();
        RankedMember sender = plan.sender();
        log.info("Command {} '{}' from {} rank {} to {} {}", commandId, request.command(), sender.address(),
                sender.rank(), plan.deliveries().size(), plan.deliveries().size() == 1 ? "client" : "clients");
        long started = System.nanoTime();
        Instant issuedAt = clock.instant();
        Instant expiresAt = issuedAt.plus(deliveryLifetime);
        List<CompletableFuture<DeliveryResult>> pending = deliveries.deliverAll(plan.deliveries(), target ->
                new Delivery(commandId, request.command(), sender.id(), sender.address(), sender.rank(),
                        target.member().id(), target.member().rank(), plan.epoch(), issuedAt, expiresAt));
        List<DeliveryResult> results = pending.stream().map(CompletableFuture::join).toList();
        CommandReport report = report(commandId, plan, results);
        events.publishEvent(new CommandFannedOut(CommandEvent.of(report, request.command(), sender.address()),
                Duration.ofNanos(System.nanoTime() - started), onSessions(results, true), onSessions(results, false)));
        return report;
    }

    private static int onSessions(List<DeliveryResult> results, boolean delivered) {
        return (int) results.stream()
                .filter(r -> r.transport() == Transport.SESSION && r.isDelivered() == delivered).count();
    }

    private CommandReport report(String commandId, CommandTargets plan, List<DeliveryResult> results) {
        List<FailedDelivery> failed = new ArrayList<>();
        List<DeliveryOutcome> outcomes = new ArrayList<>(results.size());
        int delivered = 0;
        for (DeliveryResult result : results) {
            RankedMember target = result.target();
            outcomes.add(new DeliveryOutcome(target.id(), result.isDelivered()));
            if (result.isDelivered()) {
                delivered++;
            } else {
                log.warn("Delivery of command {} to {} failed: {}", commandId, target.address(), result.reason());
                failed.add(new FailedDelivery(target.id(), target.address(), result.reason()));
            }
        }
        if (!outcomes.isEmpty()) {
            membership.recordDeliveries(outcomes);
        }
        return new CommandReport(commandId, plan.sender().rank(), plan.epoch(), results.size(), delivered, failed);
    }

    private static void validate(CommandRequest request) {
        if (request.senderId() == null || request.senderId().isBlank()) {
            throw ProblemException.invalidRequest("senderId is required: the id this member got when it registered");
        }
        CommandText.problemWith(request.command()).ifPresent(problem -> {
            throw ProblemException.invalidRequest(problem);
        });
        if (request.targetId() != null && request.targetId().isBlank()) {
            throw ProblemException.invalidRequest("targetId must be a member id, or left out to reach every lower rank");
        }
    }
}
