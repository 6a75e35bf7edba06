package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Sessions of simulated members registered over REST ({@link SimulatedMembers}): once a member's session is open,
 * the server delivers to it there, and the member renews its lease there too, three times per TTL, spread over
 * the period as {@link SimulatedMembers} spreads its heartbeats (unless a measurement is pumping renewals).
 */
final class SessionMembers implements AutoCloseable {

    /** Each JDK HttpClient reads all its WebSockets on one selector thread: one per core here. */
    private static final int CLIENTS = 2;
    /** Handshakes in flight while opening: a thousand at once would only queue in the server. */
    private static final int OPENING_AT_ONCE = 50;

    private final URI server;
    private final List<HttpClient> clients = new ArrayList<>();
    private final List<SessionMember> sessions = new CopyOnWriteArrayList<>();
    private final SessionMember.Counts counts = new SessionMember.Counts();
    private volatile boolean closed;
    private Thread renewals;

    SessionMembers(URI server) {
        this.server = server;
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build());
        }
    }

    /** Opens a session for each member, {@value #OPENING_AT_ONCE} handshakes at a time. */
    void open(List<Registration> members) {
        for (int from = 0; from < members.size(); from += OPENING_AT_ONCE) {
            List<CompletableFuture<SessionMember>> opening = new ArrayList<>();
            for (int i = from; i < Math.min(from + OPENING_AT_ONCE, members.size()); i++) {
                opening.add(SessionMember.open(clients.get(i % CLIENTS), server, members.get(i), counts));
            }
            for (CompletableFuture<SessionMember> session : opening) {
                try {
                    sessions.add(session.join());
                } catch (CompletionException e) {
                    throw new IllegalStateException("a session could not be opened: " + refusal(e.getCause()), e.getCause());
                }
            }
        }
        if (renewals == null && !sessions.isEmpty()) {
            Duration period = Duration.ofMillis(sessions.getFirst().registration().leaseTtlMs() / 3);
            renewals = Thread.ofVirtual().name("session-renewals").start(() -> renewEvery(period));
        }
    }

    /** The server's answer to a refused handshake (its status and problem document), or what failed. */
    private static String refusal(Throwable failure) {
        if (failure instanceof WebSocketHandshakeException refused) {
            return "HTTP %d %s".formatted(refused.getResponse().statusCode(), refused.getResponse().body());
        }
        return failure.toString();
    }

    int size() {
        return sessions.size();
    }

    /** Deliveries the members acknowledged {@code 204}: signed for them and addressed to them. */
    long acknowledged() {
        return counts.acknowledged().sum();
    }

    /** Deliveries the members refused: not signed for them, or addressed to another member. */
    long refused() {
        return counts.refused().sum();
    }

    /** {@code renewed} answers received. */
    long renewed() {
        return counts.renewed().sum();
    }

    /** Sessions that closed or failed before the benchmark closed them, and frames that could not be sent. */
    long troubles() {
        return counts.closed().sum() + counts.failedSends().sum();
    }

    /** Keeps {@code inFlight} renew frames outstanding on every session until {@link #stopPumping}. */
    void pumpRenewals(int inFlight) {
        sessions.forEach(session -> session.pumpRenewals(inFlight));
    }

    void stopPumping() {
        sessions.forEach(SessionMember::stopPumping);
    }

    private void renewEvery(Duration period) {
        while (!closed) {
            long start = System.nanoTime();
            List<SessionMember> round = List.copyOf(sessions);
            for (int i = 0; i < round.size() && !closed; i++) {
                Pause.forNanos(start + period.toNanos() * i / round.size() - System.nanoTime());
                if (!round.get(i).isPumping()) {
                    round.get(i).renew();
                }
            }
            Pause.forNanos(start + period.toNanos() - System.nanoTime());
        }
    }

    @Override
    public void close() {
        closed = true;
        if (renewals != null) {
            renewals.interrupt();
        }
        sessions.forEach(SessionMember::close);
        clients.forEach(HttpClient::shutdownNow);
    }
}
