package dev.rankcluster.bench.load;

import dev.rankcluster.model.Registration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;

/**
 * Members simulated in this JVM: each has its own receiver port, registers through the API like a real
 * client and renews its lease three times per TTL. The renewals are spread evenly over the period, as
 * independent clients spread them.
 */
final class SimulatedMembers implements AutoCloseable {

    private final RankApi api;
    private final Receivers receivers = new Receivers();
    private final List<Registration> members = new CopyOnWriteArrayList<>();
    private final LongAdder failedRenewals = new LongAdder();
    private volatile boolean closed;
    private volatile boolean heartbeatsOverHttp = true;
    private Thread heartbeats;

    SimulatedMembers(RankApi api) {
        this.api = api;
    }

    /** Registers new members until there are {@code size}; the first one registered holds rank 0. */
    void growTo(int size) {
        while (members.size() < size) {
            int port = receivers.open();
            Registration member = api.register(port);
            receivers.signedFor(port, member.leaseToken());
            members.add(member);
        }
        if (heartbeats == null) {
            Duration period = Duration.ofMillis(members.getFirst().leaseTtlMs() / 3);
            heartbeats = Thread.ofVirtual().name("heartbeats").start(() -> heartbeat(period));
        }
    }

    Registration atRank(int rank) {
        return members.get(rank);
    }

    int size() {
        return members.size();
    }

    List<Registration> all() {
        return List.copyOf(members);
    }

    /** From now on the members renew their leases elsewhere: on their sessions ({@link SessionMembers}). */
    void stopHeartbeatsOverHttp() {
        heartbeatsOverHttp = false;
    }

    long received() {
        return receivers.received();
    }

    /** Deliveries the receivers refused: not signed for the member they reached. */
    long refused() {
        return receivers.refused();
    }

    long failedRenewals() {
        return failedRenewals.sum();
    }

    /** Each renewal runs on its own virtual thread, so that a slow answer delays no other member's renewal. */
    private void heartbeat(Duration period) {
        while (!closed) {
            long start = System.nanoTime();
            List<Registration> round = List.copyOf(members);
            for (int i = 0; i < round.size() && !closed; i++) {
                Pause.forNanos(start + period.toNanos() * i / round.size() - System.nanoTime());
                Registration member = round.get(i);
                if (heartbeatsOverHttp) {
                    Thread.ofVirtual().start(() -> renew(member));
                }
            }
            Pause.forNanos(start + period.toNanos() - System.nanoTime());
        }
    }

    private void renew(Registration member) {
        try {
            api.renew(member);
        } catch (RuntimeException e) {
            if (!closed) {
                failedRenewals.increment();
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        if (heartbeats != null) {
            heartbeats.interrupt();
        }
        receivers.close();
    }
}
