package dev.rankcluster.server.membership.redis;

import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.COMMAND_TARGETS;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.FIND;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.RANKING;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.REAP;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.RECORD_DELIVERIES;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.REGISTER;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.REMOVE;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.RENEW;
import static dev.rankcluster.server.membership.redis.MembershipScripts.Script.RENEW_BATCH;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.membership.CommandTargets;
import dev.rankcluster.server.membership.DeliveryOutcome;
import dev.rankcluster.server.membership.DeliveryTarget;
import dev.rankcluster.server.membership.LeaseTokens;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.membership.MembershipProblems;
import dev.rankcluster.server.membership.RankingSnapshot;
import dev.rankcluster.server.membership.RegistrationOutcome;
import dev.rankcluster.server.membership.redis.MembershipScripts.Reply;
import dev.rankcluster.server.system.PauseAwareTicker;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The membership shared by every server on one Redis. Each change is one Lua script: join order from one
 * counter, ranks from a sorted set, the epoch bumped and the change published in the same step. Leases are key
 * expiries on Redis's clock; members keep only the SHA-256 of their lease token. Any server's sweep may reap a
 * lapsed lease, and the script that removes is the arbiter, so each member is removed once.
 * <p>
 * Reads that authenticate or answer one member go to Redis; {@link #snapshot()} answers from this server's copy
 * ({@link RankingFeed}) when it is at Redis's epoch and history, so a listing costs one {@code MGET} in the steady
 * state.
 */
public final class RedisMembership implements Membership {

    /** Most lapsed leases one sweep removes: a sweep stays short however many members lapse at once. */
    static final int SWEEP_LIMIT = 1000;

    private static final Logger log = LoggerFactory.getLogger(RedisMembership.class);
    private static final HexFormat HEX = HexFormat.of();

    private final MembershipScripts scripts;
    private final RankingFeed feed;
    private final RankingSubscription subscription;
    private final int maxMembers;
    private final long leaseTtlMs;
    private final int maxFailedDeliveries;
    private final Clock clock;
    private final long pauseThresholdMs = PauseAwareTicker.PAUSE_THRESHOLD.toMillis();

    RedisMembership(MembershipScripts scripts, RankingFeed feed, RankingSubscription subscription, int maxMembers,
                    Duration leaseTtl, int maxFailedDeliveries, Clock clock) {
        this.scripts = scripts;
        this.feed = feed;
        this.subscription = subscription;
        this.maxMembers = maxMembers;
        this.leaseTtlMs = leaseTtl.toMillis();
        this.maxFailedDeliveries = maxFailedDeliveries;
        this.clock = clock;
    }

    @Override
    public RegistrationOutcome register(String address) {
        String token = LeaseTokens.newToken();
        Reply reply = scripts.runChange(REGISTER, address, UUID.randomUUID(), hash(token), leaseTtlMs, maxMembers,
                clock.millis(), pauseThresholdMs, HEX.formatHex(DeliverySignature.deliveryKey(token)));
        if (reply.status().equals("full")) {
            throw MembershipProblems.clusterFull(maxMembers);
        }
        Registration registration = new Registration(reply.text(1), address, (int) reply.number(2), token, leaseTtlMs,
                reply.number(3));
        return new RegistrationOutcome(registration, reply.status().equals("created"));
    }

    @Override
    public LeaseRenewal renewLease(String id, String leaseToken) {
        Reply reply = authenticated(id, scripts.run(RENEW, id, hash(leaseToken), leaseTtlMs, pauseThresholdMs));
        return new LeaseRenewal((int) reply.number(1), reply.number(2), leaseTtlMs);
    }

    /**
     * Many leases in one round trip ({@code renew-batch.lua}): each claim's answer is what {@link #renewLease} would
     * have answered it, renewed or refused with its problem, in the order of the claims. Redis failing throws, as
     * {@link #renewLease} does, and then no lease was renewed.
     */
    List<CompletableFuture<LeaseRenewal>> renewLeases(List<LeaseClaim> claims) {
        Object[] args = new Object[2 + 2 * claims.size()];
        args[0] = leaseTtlMs;
        args[1] = pauseThresholdMs;
        int i = 2;
        for (LeaseClaim claim : claims) {
            args[i++] = claim.memberId();
            args[i++] = hash(claim.leaseToken());
        }
        Reply reply = scripts.run(RENEW_BATCH, args);
        List<CompletableFuture<LeaseRenewal>> answers = new ArrayList<>(claims.size());
        for (int claim = 0; claim < claims.size(); claim++) {
            int at = 3 * claim;
            String id = claims.get(claim).memberId();
            answers.add(switch (reply.text(at)) {
                case "renewed" -> CompletableFuture.completedFuture(
                        new LeaseRenewal((int) reply.number(at + 1), reply.number(at + 2), leaseTtlMs));
                case "gone" -> CompletableFuture.failedFuture(MembershipProblems.gone(id));
                default -> CompletableFuture.failedFuture(MembershipProblems.wrongLeaseToken(id));
            });
        }
        return answers;
    }

    @Override
    public void leave(String id, String leaseToken) {
        authenticated(id, scripts.runChange(REMOVE, id, "member", hash(leaseToken), pauseThresholdMs));
    }

    @Override
    public void remove(String id) {
        authenticated(id, scripts.runChange(REMOVE, id, "operator", "", pauseThresholdMs));
    }

    @Override
    public boolean disconnect(String id, String leaseToken) {
        return scripts.runChange(REMOVE, id, "disconnected", hash(leaseToken), pauseThresholdMs).status().equals("removed");
    }

    @Override
    public CommandTargets commandTargets(String senderId, String leaseToken, String targetId) {
        Reply reply = authenticated(senderId, scripts.run(COMMAND_TARGETS, senderId, hash(leaseToken),
                targetId == null ? "" : targetId, pauseThresholdMs));
        switch (reply.status()) {
            case "unknown-target" -> throw MembershipProblems.unknownTarget(targetId);
            case "rank-violation" -> throw MembershipProblems.rankViolation((int) reply.number(1), (int) reply.number(2));
            default -> {
                // the targets follow
            }
        }
        int senderRank = (int) reply.number(2);
        int firstTargetRank = (int) reply.number(4);
        List<DeliveryTarget> targets = new ArrayList<>((reply.size() - 5) / 2);
        for (int i = 5; i + 1 < reply.size(); i += 2) {
            RankedMember target = StoredMembers.ranked(reply.text(i), firstTargetRank + (i - 5) / 2);
            targets.add(new DeliveryTarget(target, HEX.parseHex(reply.text(i + 1))));
        }
        return new CommandTargets(StoredMembers.ranked(reply.text(3), senderRank), reply.number(1), targets);
    }

    /** One round trip for the whole fan-out. */
    @Override
    public void recordDeliveries(List<DeliveryOutcome> outcomes) {
        Object[] args = new Object[1 + 2 * outcomes.size()];
        args[0] = maxFailedDeliveries;
        int i = 1;
        for (DeliveryOutcome outcome : outcomes) {
            args[i++] = outcome.memberId();
            args[i++] = outcome.delivered() ? "delivered" : "failed";
        }
        scripts.run(RECORD_DELIVERIES, args);
    }

    @Override
    public Optional<MemberDetails> find(String id) {
        Reply reply = scripts.run(FIND, id);
        if (reply.isEmpty()) {
            return Optional.empty();
        }
        RankedMember member = StoredMembers.ranked(reply.text(0), (int) reply.number(1));
        return Optional.of(new MemberDetails(member.rank(), member.id(), member.address(), member.joinedAt(),
                reply.number(2)));
    }

    @Override
    public RankingSnapshot snapshot() {
        RankingFeed.Copy copy = feed.current();
        if (copy.version().equals(scripts.version())) {
            return copy.ranking();
        }
        // This server has not heard of the latest change yet, or its copy is of changes Redis lost: read the
        // ranking, so that it reads its own writes and never lists what Redis no longer holds.
        return StoredMembers.copy(scripts.run(RANKING)).ranking();
    }

    @Override
    public void expireLapsedLeases() {
        Reply reply;
        try {
            reply = scripts.run(REAP, leaseTtlMs, pauseThresholdMs, SWEEP_LIMIT);
        } catch (ProblemException unavailable) {
            return; // logged once by the scripts; the next sweep tries again
        }
        long renewed = reply.number(2);
        if (renewed > 0) {
            log.warn("No server swept the leases for {}: every one of the {} leases gets a fresh TTL",
                    reply.number(3) < 0 ? "a while" : reply.number(3) + " ms", renewed);
        }
        if (subscription.subscribed()) {
            feed.check(new MembershipScripts.Version(reply.number(0), reply.text(1)));
        }
    }

    /**
     * Nothing to do: leases run on Redis's clock, not this server's. While this server was paused, the other
     * servers' sweeps judged the leases (members could renew through them); if no server swept, the next sweep
     * sees the gap and gives every lease a fresh TTL ({@code reap.lua}).
     */
    @Override
    public void renewAllLeases() {
        log.info("Leases are kept on Redis's clock: the sweeps of all servers decide whether they get a fresh TTL");
    }

    private static Reply authenticated(String id, Reply reply) {
        return switch (reply.status()) {
            case "gone" -> throw MembershipProblems.gone(id);
            case "forbidden" -> throw MembershipProblems.wrongLeaseToken(id);
            default -> reply;
        };
    }

    /** Only the digest goes to Redis; a missing token has none, so it matches no lease. */
    private static String hash(String leaseToken) {
        return leaseToken == null ? "" : HEX.formatHex(LeaseTokens.hash(leaseToken));
    }
}
