package dev.rankcluster.server.membership;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import org.springframework.context.ApplicationEventPublisher;

/**
 * The in-memory membership: leases in a Caffeine cache, the ranking in an immutable order-statistic tree.
 * <p>
 * One lock guards every change of the ranking together with its epoch bump, so one epoch is one consistent
 * ranking; the change's event is queued under the lock and published after it, in epoch order. Reads take no
 * lock: they use the current immutable snapshot. Caffeine never calls back into this lock: its eviction listener only queues the id,
 * and {@link #expireLapsedLeases()} re-checks each queued id under the lock.
 */
public final class CaffeineMembership implements Membership {

    private final int maxMembers;
    private final Duration leaseTtl;
    private final int maxFailedDeliveries;
    private final Clock clock;
    private final ApplicationEventPublisher events;

    private final Cache<String, Lease> leases;
    private final Queue<String> lapsed = new ConcurrentLinkedQueue<>();

    private final ReentrantLock lock = new ReentrantLock();
    /** Changes committed under the lock whose events are not out yet, in epoch order. */
    private final Queue<RankingChanged> unpublished = new ConcurrentLinkedQueue<>();
    private final ReentrantLock publishing = new ReentrantLock();
    /** Written under the lock only; read freely. */
    private final Map<String, Entry> byId = new ConcurrentHashMap<>();
    /** Guarded by the lock. */
    private final Map<String, String> idByAddress = new ConcurrentHashMap<>();
    /** Guarded by the lock. */
    private long nextSequence;
    private volatile TreeSnapshot current = TreeSnapshot.INITIAL;

    public CaffeineMembership(int maxMembers, Duration leaseTtl, int maxFailedDeliveries, Ticker ticker, Clock clock,
                              ApplicationEventPublisher events) {
        this.maxMembers = maxMembers;
        this.leaseTtl = leaseTtl;
        this.maxFailedDeliveries = maxFailedDeliveries;
        this.clock = clock;
        this.events = events;
        this.leases = Caffeine.newBuilder()
                .expireAfterWrite(leaseTtl)
                .ticker(ticker)
                .executor(Runnable::run)
                .evictionListener((String id, Lease lease, RemovalCause cause) -> {
                    if (cause == RemovalCause.EXPIRED) {
                        lapsed.add(id);
                    }
                })
                .build();
    }

    public static CaffeineMembership of(RankServerProperties properties, Ticker ticker, Clock clock,
                                        ApplicationEventPublisher events) {
        return new CaffeineMembership(properties.maxMembers(), properties.leaseTtl(), properties.maxFailedDeliveries(),
                ticker, clock, events);
    }

    @Override
    public RegistrationOutcome register(String address) {
        String token = LeaseTokens.newToken();
        byte[] deliveryKey = DeliverySignature.deliveryKey(token);
        lock.lock();
        try {
            String existingId = idByAddress.get(address);
            if (existingId != null) {
                Entry existing = byId.get(existingId);
                if (leases.getIfPresent(existingId) != null) {
                    // The latest registrant of an address owns its lease: the old token stops working, and so
                    // does its delivery key.
                    writeLeaseLocked(existingId, Lease.of(token));
                    existing.deliveryKey = deliveryKey;
                    return new RegistrationOutcome(registration(existing.member, token), false);
                }
                removeLocked(existing, ChangeReason.EXPIRED);
            }
            if (byId.size() >= maxMembers) {
                throw MembershipProblems.clusterFull(maxMembers);
            }
            Member member = new Member(UUID.randomUUID().toString(), address,
                    clock.instant().truncatedTo(ChronoUnit.MILLIS), nextSequence++);
            byId.put(member.id(), new Entry(member, deliveryKey));
            idByAddress.put(address, member.id());
            leases.put(member.id(), Lease.of(token));
            publishLocked(current.tree().with(member), ChangeReason.JOINED, address);
            return new RegistrationOutcome(registration(member, token), true);
        } finally {
            unlockAndPublish();
        }
    }

    @Override
    public LeaseRenewal renewLease(String id, String leaseToken) {
        Lease presented = Lease.presentedBy(leaseToken);
        Entry entry;
        lock.lock();
        try {
            entry = authenticatedLocked(id, presented);
            writeLeaseLocked(id, presented);
        } finally {
            unlockAndPublish();
        }
        TreeSnapshot snapshot = current;
        int rank = snapshot.tree().rankOf(entry.member.sequence());
        if (rank < 0) {
            throw MembershipProblems.gone(id);
        }
        return new LeaseRenewal(rank, snapshot.epoch(), leaseTtl.toMillis());
    }

    @Override
    public void leave(String id, String leaseToken) {
        Lease presented = Lease.presentedBy(leaseToken);
        lock.lock();
        try {
            removeLocked(authenticatedLocked(id, presented), ChangeReason.LEFT);
        } finally {
            unlockAndPublish();
        }
    }

    @Override
    public void remove(String id) {
        lock.lock();
        try {
            removeLocked(existing(id), ChangeReason.REMOVED);
        } finally {
            unlockAndPublish();
        }
    }

    @Override
    public boolean disconnect(String id, String leaseToken) {
        Lease presented = Lease.presentedBy(leaseToken);
        lock.lock();
        try {
            Entry entry = byId.get(id);
            Lease lease = leases.getIfPresent(id);
            if (entry == null || lease == null || !lease.isProvenBy(presented)) {
                return false;
            }
            removeLocked(entry, ChangeReason.DISCONNECTED);
            return true;
        } finally {
            unlockAndPublish();
        }
    }

    @Override
    public CommandTargets commandTargets(String senderId, String leaseToken, String targetId) {
        Lease presented = Lease.presentedBy(leaseToken);
        Entry sender;
        lock.lock();
        try {
            sender = authenticatedLocked(senderId, presented);
        } finally {
            unlockAndPublish();
        }
        TreeSnapshot snapshot = current;
        int senderRank = snapshot.tree().rankOf(sender.member.sequence());
        if (senderRank < 0) {
            throw MembershipProblems.gone(senderId);
        }
        RankedMember rankedSender = ranked(sender.member, senderRank);
        if (targetId == null) {
            List<RankedMember> lower = snapshot.members(senderRank + 1, snapshot.size());
            List<DeliveryTarget> targets = new ArrayList<>(lower.size());
            for (RankedMember member : lower) {
                Entry entry = byId.get(member.id());
                if (entry != null) { // else removed since the snapshot: it gets nothing
                    targets.add(new DeliveryTarget(member, entry.deliveryKey));
                }
            }
            return new CommandTargets(rankedSender, snapshot.epoch(), targets);
        }
        Entry target = byId.get(targetId);
        int targetRank = target == null ? -1 : snapshot.tree().rankOf(target.member.sequence());
        if (targetRank < 0) {
            throw MembershipProblems.unknownTarget(targetId);
        }
        if (targetRank <= senderRank) {
            throw MembershipProblems.rankViolation(targetRank, senderRank);
        }
        return new CommandTargets(rankedSender, snapshot.epoch(),
                List.of(new DeliveryTarget(ranked(target.member, targetRank), target.deliveryKey)));
    }

    @Override
    public void recordDeliveries(List<DeliveryOutcome> outcomes) {
        outcomes.forEach(outcome -> record(outcome.memberId(), outcome.delivered()));
    }

    private void record(String memberId, boolean delivered) {
        Entry entry = byId.get(memberId);
        if (entry == null) {
            return;
        }
        if (delivered) {
            entry.failedDeliveries.set(0);
            return;
        }
        if (entry.failedDeliveries.incrementAndGet() >= maxFailedDeliveries) {
            lock.lock();
            try {
                if (byId.get(memberId) == entry) {
                    removeLocked(entry, ChangeReason.UNREACHABLE);
                }
            } finally {
                unlockAndPublish();
            }
        }
    }

    @Override
    public Optional<MemberDetails> find(String id) {
        Entry entry = byId.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        TreeSnapshot snapshot = current;
        int rank = snapshot.tree().rankOf(entry.member.sequence());
        if (rank < 0) {
            return Optional.empty();
        }
        Member member = entry.member;
        return Optional.of(new MemberDetails(rank, member.id(), member.address(), member.joinedAt(), snapshot.epoch()));
    }

    @Override
    public RankingSnapshot snapshot() {
        return current;
    }

    @Override
    public void expireLapsedLeases() {
        leases.cleanUp();
        for (String id = lapsed.poll(); id != null; id = lapsed.poll()) {
            expireIfLapsed(id);
        }
    }

    @Override
    public void renewAllLeases() {
        lock.lock();
        try {
            Map.copyOf(leases.asMap()).forEach((id, lease) -> writeLeaseLocked(id, lease.renewed()));
        } finally {
            unlockAndPublish();
        }
    }

    /**
     * Writes a lease as a new cache entry, so that it lasts one full TTL from now. Caffeine does not restart
     * expire-after-write for a write within 1 s of the entry's previous one (its write-time tolerance), which
     * would let a lease renewed soon after its last write lapse up to 1 s early. Only readers under the lock
     * decide on a lease's absence, so none of them sees the entry missing in between.
     */
    private void writeLeaseLocked(String id, Lease lease) {
        leases.invalidate(id);
        leases.put(id, lease);
    }

    private void expireIfLapsed(String id) {
        lock.lock();
        try {
            Entry entry = byId.get(id);
            if (entry != null && leases.getIfPresent(id) == null) {
                removeLocked(entry, ChangeReason.EXPIRED);
            }
        } finally {
            unlockAndPublish();
        }
    }

    private Entry authenticatedLocked(String id, Lease presented) {
        Entry entry = existing(id);
        Lease lease = leases.getIfPresent(id);
        if (lease == null) {
            removeLocked(entry, ChangeReason.EXPIRED);
            throw MembershipProblems.gone(id);
        }
        if (!lease.isProvenBy(presented)) {
            throw MembershipProblems.wrongLeaseToken(id);
        }
        return entry;
    }

    private Entry existing(String id) {
        Entry entry = id == null ? null : byId.get(id);
        if (entry == null) {
            throw MembershipProblems.gone(id);
        }
        return entry;
    }

    private void removeLocked(Entry entry, ChangeReason reason) {
        Member member = entry.member;
        byId.remove(member.id());
        idByAddress.remove(member.address(), member.id());
        leases.invalidate(member.id());
        publishLocked(current.tree().without(member.sequence()), reason, member.address());
    }

    /** Commits a change; its event goes out once the lock is released ({@link #unlockAndPublish()}). */
    private void publishLocked(RankTree changed, ChangeReason reason, String address) {
        TreeSnapshot next = current.next(changed);
        current = next;
        unpublished.add(new RankingChanged(next.epoch(), reason, address, next));
    }

    private void unlockAndPublish() {
        lock.unlock();
        publishPending();
    }

    /**
     * Publishes the committed changes' events in epoch order, outside the membership lock, so that a slow
     * listener (the console, a stream) holds up no registration or heartbeat. One thread at a time publishes;
     * a thread that finds another publishing leaves its event to it, and the publisher looks again after it lets
     * go, so no event is stranded.
     */
    private void publishPending() {
        while (!unpublished.isEmpty() && publishing.tryLock()) {
            try {
                for (RankingChanged change = unpublished.poll(); change != null; change = unpublished.poll()) {
                    events.publishEvent(change);
                }
            } finally {
                publishing.unlock();
            }
        }
    }

    private Registration registration(Member member, String token) {
        TreeSnapshot snapshot = current;
        return new Registration(member.id(), member.address(), snapshot.tree().rankOf(member.sequence()), token,
                leaseTtl.toMillis(), snapshot.epoch());
    }

    private static RankedMember ranked(Member member, int rank) {
        return new RankedMember(rank, member.id(), member.address(), member.joinedAt());
    }

    private static final class Entry {
        final Member member;
        final AtomicInteger failedDeliveries = new AtomicInteger();
        /** Of the latest registration of the member's address; written under the lock. */
        volatile byte[] deliveryKey;

        Entry(Member member, byte[] deliveryKey) {
            this.member = member;
            this.deliveryKey = deliveryKey;
        }
    }
}
