package dev.rankcluster.server.membership.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.support.RedisServer;
import dev.rankcluster.server.system.PauseAwareTicker;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Session leases renewed in batches on a real {@code redis-server}: each renewal gets its own answer, exactly the one
 * {@code PUT /lease} would give, and a whole batch costs one script call. Flushes are made by hand
 * ({@link BatchedSessionLeases#flush()}) unless a test starts the schedule, so what one batch holds is certain.
 */
class BatchedSessionLeasesTests {

    static final Duration TTL = Duration.ofSeconds(10);
    static final Duration ANSWERED_WITHIN = Duration.ofSeconds(10);

    /** Records that the last sweep by any server was ARGV[1] ms ago (on Redis's clock). */
    static final RedisScript<Long> LAST_SWEPT_AGO = RedisScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('SET', 'rank:swept-at', now - tonumber(ARGV[1]))
            return 0
            """, Long.class);

    static RedisServer redis;
    static LettuceConnectionFactory connections;
    static StringRedisTemplate template;

    final RecordedEvents events = new RecordedEvents();
    /** Every batch the store was asked to renew: one script call each. */
    final List<List<LeaseClaim>> scriptCalls = Collections.synchronizedList(new ArrayList<>());
    RankingFeed feed;
    RankingSubscription subscription;
    RedisMembership membership;
    BatchedSessionLeases leases;

    @BeforeAll
    static void startRedis() {
        redis = RedisServer.startOnFreePort();
        connections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", redis.port()));
        connections.afterPropertiesSet();
        connections.start();
        template = new StringRedisTemplate(connections);
    }

    @AfterAll
    static void stopRedis() {
        if (connections != null) {
            connections.destroy();
        }
        if (redis != null) {
            redis.stop();
        }
    }

    @BeforeEach
    void wireOneServer() {
        RedisStoreConfiguration wiring = new RedisStoreConfiguration();
        MembershipScripts scripts = wiring.membershipScripts(template, ReplicaAcknowledgedWrites.NONE);
        feed = wiring.rankingFeed(scripts, events, PauseAwareTicker.system());
        subscription = wiring.rankingSubscription(connections, feed);
        subscription.start();
        membership = new RedisMembership(scripts, feed, subscription, 10_000, TTL, 3, Clock.systemUTC());
        membership.expireLapsedLeases(); // the first sweep: leases are judged from now on
        leases = new BatchedSessionLeases(countingScriptCalls(membership::renewLeases));
    }

    @AfterEach
    void stopServerAndEmptyRedis() {
        leases.stop();
        subscription.stop();
        feed.close();
        redis.flushAll();
    }

    BatchedSessionLeases.Store countingScriptCalls(BatchedSessionLeases.Store store) {
        return claims -> {
            scriptCalls.add(List.copyOf(claims));
            return store.renew(claims);
        };
    }

    @Test
    void flush_manyMembersRenewing_oneScriptCallEachAnsweredWithItsOwnRank() {
        List<Registration> members = join(30);
        List<CompletableFuture<LeaseRenewal>> renewals = new ArrayList<>();
        for (int i = members.size() - 1; i >= 0; i--) { // asked in another order than they rank
            renewals.add(leases.renew(members.get(i).id(), members.get(i).leaseToken()));
        }

        leases.flush();

        assertThat(scriptCalls).hasSize(1);
        for (int i = 0; i < members.size(); i++) {
            int rank = members.size() - 1 - i;
            assertThat(renewals.get(i)).succeedsWithin(ANSWERED_WITHIN)
                    .isEqualTo(new LeaseRenewal(rank, members.size(), TTL.toMillis()));
        }
    }

    @Test
    void flush_wrongToken_forbiddenAndItsLeaseUntouchedWhileTheOthersRenew() {
        Registration first = join("10.0.0.1:8080");
        Registration second = join("10.0.0.2:8080");
        template.expire("rank:lease:" + first.id(), Duration.ofSeconds(2)); // a renewal would lengthen it again
        Double deadline = template.opsForZSet().score("rank:deadlines", first.id());

        CompletableFuture<LeaseRenewal> wrong = leases.renew(first.id(), "not-its-token");
        CompletableFuture<LeaseRenewal> right = leases.renew(second.id(), second.leaseToken());
        leases.flush();

        assertThat(problemOf(wrong).type()).isEqualTo(ProblemType.FORBIDDEN);
        assertThat(right).succeedsWithin(ANSWERED_WITHIN).extracting(LeaseRenewal::rank).isEqualTo(1);
        assertThat(template.getExpire("rank:lease:" + first.id(), TimeUnit.MILLISECONDS)).isBetween(1L, 2000L);
        assertThat(template.opsForZSet().score("rank:deadlines", first.id())).isEqualTo(deadline);
        assertThat(template.opsForValue().get("rank:epoch")).isEqualTo("2");
        assertThat(membership.find(first.id())).hasValueSatisfying(details -> assertThat(details.rank()).isZero());
    }

    @Test
    void flush_memberGone_notFoundWhileTheOthersRenew() {
        Registration left = join("10.0.0.1:8080");
        Registration stays = join("10.0.0.2:8080");
        membership.leave(left.id(), left.leaseToken());

        CompletableFuture<LeaseRenewal> afterLeaving = leases.renew(left.id(), left.leaseToken());
        CompletableFuture<LeaseRenewal> neverJoined = leases.renew("no-such-member", "some-token");
        CompletableFuture<LeaseRenewal> renewed = leases.renew(stays.id(), stays.leaseToken());
        leases.flush();

        assertThat(problemOf(afterLeaving).type()).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(problemOf(neverJoined).type()).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(renewed).succeedsWithin(ANSWERED_WITHIN).isEqualTo(new LeaseRenewal(0, 3, TTL.toMillis()));
        assertThat(scriptCalls).hasSize(1);
    }

    @Test
    void flush_lapsedLeaseInTheBatch_removedAsExpiredAndTheRanksAfterItCountWithoutIt() {
        Registration lapsed = join("10.0.0.1:8080");
        Registration second = join("10.0.0.2:8080");
        template.delete("rank:lease:" + lapsed.id()); // its TTL ran out
        membership.expireLapsedLeases(); // servers sweep: the lease is judged lapsed

        CompletableFuture<LeaseRenewal> late = leases.renew(lapsed.id(), lapsed.leaseToken());
        CompletableFuture<LeaseRenewal> renewed = leases.renew(second.id(), second.leaseToken());
        leases.flush();

        assertThat(problemOf(late).type()).isEqualTo(ProblemType.NOT_FOUND);
        assertThat(renewed).succeedsWithin(ANSWERED_WITHIN).isEqualTo(new LeaseRenewal(0, 3, TTL.toMillis()));
        assertThat(membership.find(lapsed.id())).isEmpty();
        await().atMost(ANSWERED_WITHIN).untilAsserted(() ->
                assertThat(events.rankingChanges()).last().satisfies(change -> {
                    assertThat(change.reason()).isEqualTo(ChangeReason.EXPIRED);
                    assertThat(change.address()).isEqualTo("10.0.0.1:8080");
                    assertThat(change.epoch()).isEqualTo(3);
                }));
    }

    @Test
    void flush_leaseLapsedWhileNoServerSwept_renewedNotRemoved() {
        Registration member = join("10.0.0.1:8080");
        template.execute(LAST_SWEPT_AGO, List.of(), "30000"); // every server was paused, or cut off from Redis
        template.delete("rank:lease:" + member.id());

        CompletableFuture<LeaseRenewal> renewal = leases.renew(member.id(), member.leaseToken());
        leases.flush();

        assertThat(renewal).succeedsWithin(ANSWERED_WITHIN).isEqualTo(new LeaseRenewal(0, 1, TTL.toMillis()));
        assertThat(template.hasKey("rank:lease:" + member.id())).isTrue();
    }

    @Test
    void flush_sameMemberSeveralTimes_renewedOnceEachAnswered() {
        Registration member = join("10.0.0.1:8080");

        List<CompletableFuture<LeaseRenewal>> renewals = IntStream.range(0, 3)
                .mapToObj(i -> leases.renew(member.id(), member.leaseToken())).toList();
        CompletableFuture<LeaseRenewal> oldToken = leases.renew(member.id(), "token-of-an-older-registration");
        leases.flush();

        assertThat(scriptCalls).singleElement().asInstanceOf(LIST)
                .containsExactly(new LeaseClaim(member.id(), member.leaseToken()),
                        new LeaseClaim(member.id(), "token-of-an-older-registration"));
        renewals.forEach(renewal -> assertThat(renewal).succeedsWithin(ANSWERED_WITHIN)
                .isEqualTo(new LeaseRenewal(0, 1, TTL.toMillis())));
        assertThat(problemOf(oldToken).type()).isEqualTo(ProblemType.FORBIDDEN);
    }

    @Test
    void flush_manyThreadsRenewingAtOnce_allAnsweredByOneScriptCallWithEachMemberOnce() throws Exception {
        List<Registration> members = join(40);
        int threads = 8;
        int renewalsPerThread = 50;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService renewing = Executors.newFixedThreadPool(threads);
        List<Future<List<Renewing>>> submitted = new ArrayList<>();
        try {
            for (int t = 0; t < threads; t++) {
                int thread = t;
                submitted.add(renewing.submit(() -> {
                    go.await();
                    List<Renewing> mine = new ArrayList<>();
                    for (int i = 0; i < renewalsPerThread; i++) {
                        int rank = (thread * renewalsPerThread + i) % members.size();
                        Registration member = members.get(rank);
                        mine.add(new Renewing(rank, leases.renew(member.id(), member.leaseToken())));
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<Renewing> all = new ArrayList<>();
            for (Future<List<Renewing>> thread : submitted) {
                all.addAll(thread.get(30, TimeUnit.SECONDS));
            }

            leases.flush();

            assertThat(all).hasSize(threads * renewalsPerThread);
            assertThat(scriptCalls).singleElement().asInstanceOf(LIST)
                    .hasSize(members.size());
            for (Renewing renewal : all) {
                assertThat(renewal.answer()).succeedsWithin(ANSWERED_WITHIN).extracting(LeaseRenewal::rank)
                        .isEqualTo(renewal.rank());
            }
        } finally {
            renewing.shutdownNow();
        }
    }

    @Test
    void flush_moreClaimsThanOneScriptTakes_splitIntoScriptsOfAtMostMaxBatch() {
        Registration member = join("10.0.0.1:8080");
        int claims = 2 * BatchedSessionLeases.MAX_BATCH + 1;
        List<CompletableFuture<LeaseRenewal>> renewals = new ArrayList<>();
        renewals.add(leases.renew(member.id(), member.leaseToken()));
        for (int i = 1; i < claims; i++) {
            renewals.add(leases.renew("gone-" + i, "token"));
        }

        leases.flush();

        assertThat(scriptCalls).extracting(List::size)
                .containsExactly(BatchedSessionLeases.MAX_BATCH, BatchedSessionLeases.MAX_BATCH, 1);
        assertThat(renewals.getFirst()).succeedsWithin(ANSWERED_WITHIN).extracting(LeaseRenewal::rank).isEqualTo(0);
        assertThat(problemOf(renewals.getLast()).type()).isEqualTo(ProblemType.NOT_FOUND);
    }

    @Test
    void start_renewalsWaiting_flushedOnItsOwnAndAfterStopAtOnce() {
        Registration member = join("10.0.0.1:8080");
        CompletableFuture<LeaseRenewal> beforeStart = leases.renew(member.id(), member.leaseToken());

        leases.start();

        assertThat(beforeStart).succeedsWithin(ANSWERED_WITHIN).extracting(LeaseRenewal::rank).isEqualTo(0);
        assertThat(leases.renew(member.id(), member.leaseToken())).succeedsWithin(ANSWERED_WITHIN);
        leases.stop();
        assertThat(leases.isRunning()).isFalse();
        assertThat(leases.renew(member.id(), member.leaseToken())).as("flushed by the renewal itself")
                .succeedsWithin(ANSWERED_WITHIN).isEqualTo(new LeaseRenewal(0, 1, TTL.toMillis()));
    }

    @Test
    void flush_redisDoesNotAnswer_everyRenewalOfTheBatchFailsWith503() {
        RedisServer gone = RedisServer.startOnFreePort();
        gone.stop();
        var goneConnections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", gone.port()));
        goneConnections.afterPropertiesSet();
        goneConnections.start();
        try {
            MembershipScripts scripts = new RedisStoreConfiguration().membershipScripts(
                    new StringRedisTemplate(goneConnections), ReplicaAcknowledgedWrites.NONE);
            RedisMembership unreachable = new RedisMembership(scripts, null, null, 5, TTL, 3, Clock.systemUTC());
            BatchedSessionLeases cutOff = new BatchedSessionLeases(countingScriptCalls(unreachable::renewLeases));
            List<CompletableFuture<LeaseRenewal>> renewals = List.of(cutOff.renew("member-1", "token-1"),
                    cutOff.renew("member-2", "token-2"));

            cutOff.flush();

            assertThat(scriptCalls).hasSize(1);
            renewals.forEach(renewal -> {
                ProblemException problem = problemOf(renewal);
                assertThat(problem.type()).isEqualTo(ProblemType.SERVICE_UNAVAILABLE);
                assertThat(problem.getHeaders().getFirst("Retry-After")).isEqualTo("1");
            });
        } finally {
            goneConnections.destroy();
        }
    }

    /** A renewal some thread asked for, and the rank its member holds. */
    record Renewing(int rank, CompletableFuture<LeaseRenewal> answer) {
    }

    Registration join(String address) {
        return membership.register(address).registration();
    }

    List<Registration> join(int count) {
        return IntStream.range(0, count).mapToObj(i -> join("10.0.%d.%d:8080".formatted(i / 250, i % 250))).toList();
    }

    static ProblemException problemOf(CompletableFuture<LeaseRenewal> renewal) {
        try {
            renewal.get(ANSWERED_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException refused) {
            assertThat(refused.getCause()).isInstanceOf(ProblemException.class);
            return (ProblemException) refused.getCause();
        } catch (Exception notAnswered) {
            throw new AssertionError("not answered within " + ANSWERED_WITHIN, notAnswered);
        }
        throw new AssertionError("renewed, but a problem was expected");
    }
}
