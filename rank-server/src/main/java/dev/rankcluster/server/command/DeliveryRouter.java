package dev.rankcluster.server.command;

import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.membership.DeliveryTarget;
import dev.rankcluster.server.session.MemberSession;
import dev.rankcluster.server.session.SessionFrames;
import dev.rankcluster.server.session.MemberSessions;
import dev.rankcluster.server.session.SessionLost;
import dev.rankcluster.server.system.RankServerProperties;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends each delivery the best way its member can take it: pushed on the member's session with this server if it
 * has one, else posted over HTTP. A delivery whose session closes before the member acknowledged it is posted
 * over HTTP within the same deadline; the member executes each command id once, so it never runs twice.
 */
@Component
class DeliveryRouter {

    /** Deliveries one thread sends of a large fan-out. */
    private static final int CHUNK = 128;

    private final ExecutorService senders = Executors.newVirtualThreadPerTaskExecutor();
    private final MemberSessions sessions;
    private final DeliveryClient http;
    private final JsonMapper json;
    private final Clock clock;
    private final Duration timeout;
    private final String timedOut;

    DeliveryRouter(MemberSessions sessions, DeliveryClient http, JsonMapper json, Clock clock,
                   RankServerProperties properties) {
        this.sessions = sessions;
        this.http = http;
        this.json = json;
        this.clock = clock;
        this.timeout = properties.deliveryTimeout();
        this.timedOut = "timed out after %d ms".formatted(timeout.toMillis());
    }

    /**
     * Starts every delivery of one command. A large fan-out is sent from several virtual threads, a chunk each,
     * so that writing a thousand session frames uses every core; a small one is sent from the caller's thread.
     */
    List<CompletableFuture<DeliveryResult>> deliverAll(List<DeliveryTarget> targets, Function<DeliveryTarget, Delivery> deliveryFor) {
        List<CompletableFuture<DeliveryResult>> pending = new ArrayList<>(targets.size());
        if (targets.size() <= CHUNK) {
            targets.forEach(target -> pending.add(deliver(target, deliveryFor.apply(target))));
            return pending;
        }
        List<CompletableFuture<List<CompletableFuture<DeliveryResult>>>> chunks = new ArrayList<>();
        for (int from = 0; from < targets.size(); from += CHUNK) {
            List<DeliveryTarget> chunk = targets.subList(from, Math.min(targets.size(), from + CHUNK));
            chunks.add(CompletableFuture.supplyAsync(() -> chunk.stream()
                    .map(target -> deliver(target, deliveryFor.apply(target))).toList(), senders));
        }
        chunks.forEach(chunk -> pending.addAll(chunk.join()));
        return pending;
    }

    CompletableFuture<DeliveryResult> deliver(DeliveryTarget target, Delivery delivery) {
        RankedMember member = target.member();
        // A session of an older registration of the member's address cannot verify this delivery's signature.
        MemberSession session = sessions.of(member.id()).filter(s -> s.signsWith(target.deliveryKey())).orElse(null);
        if (session == null) {
            return http.deliver(target, delivery);
        }
        byte[] body = json.writeValueAsBytes(delivery);
        long timestamp = clock.millis();
        String frame = SessionFrames.delivery(timestamp, session.sign(timestamp, body), new String(body, StandardCharsets.UTF_8));
        return session.deliver(delivery.commandId(), frame)
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((ack, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(ack.executed()
                                ? DeliveryResult.delivered(member, Transport.SESSION)
                                : DeliveryResult.failed(member, DeliveryResult.refusal(ack.status(), ack.problem()),
                                Transport.SESSION));
                    }
                    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
                    return cause instanceof SessionLost
                            ? http.deliver(target, delivery)
                            : CompletableFuture.completedFuture(DeliveryResult.failed(member, timedOut, Transport.SESSION));
                })
                .thenCompose(result -> result)
                .completeOnTimeout(DeliveryResult.failed(member, timedOut, Transport.SESSION), timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
    }
}
