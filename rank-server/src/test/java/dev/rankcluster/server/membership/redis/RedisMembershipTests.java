package dev.rankcluster.server.membership.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.membership.MembershipContractTests;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.support.RedisServer;
import dev.rankcluster.server.system.PauseAwareTicker;
import dev.rankcluster.server.system.ProblemException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The membership contract against the Redis store on a real {@code redis-server}, and what only a shared store
 * does: several servers on one Redis, sweeps that race, a Redis that lost its data.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisMembershipTests extends MembershipContractTests {

    /** Moves every lease's expiry and deadline back by ARGV[1] ms, as if that much time had passed. */
    private static final RedisScript<Long> ELAPSE = RedisScript.of("""
            local elapsed = tonumber(ARGV[1])
            for _, id in ipairs(redis.call('ZRANGE', 'rank:deadlines', 0, -1)) do
                local left = redis.call('PTTL', 'rank:lease:' .. id)
                if left > elapsed then
                    redis.call('PEXPIRE', 'rank:lease:' .. id, left - elapsed)
                elseif left >= 0 then
                    redis.call('DEL', 'rank:lease:' .. id)
                end
                redis.call('ZINCRBY', 'rank:deadlines', -elapsed, id)
            end
            return 0
            """, Long.class);

    /** Records that the last sweep by any server was ARGV[1] ms ago (on Redis's clock). */
    private static final RedisScript<Long> LAST_SWEPT_AGO = RedisScript.of("""
            local time = redis.call('TIME')
            local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
            redis.call('SET', 'rank:swept-at', now - tonumber(ARGV[1]))
            return 0
            """, Long.class);

    static RedisServer redis;
    static LettuceConnectionFactory connections;
    static StringRedisTemplate template;

    final List<RankingSubscription> subscriptions = new ArrayList<>();
    final List<RankingFeed> feeds = new ArrayList<>();

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

    @AfterEach
    void stopServersAndEmptyRedis() {
        subscriptions.forEach(RankingSubscription::stop);
        feeds.forEach(RankingFeed::close);
        redis.flushAll();
    }

    @Override
    protected Membership newMembership(int maxMembers) {
        return server(maxMembers, events);
    }

    /** One rank server's store, wired as {@link RedisStoreConfiguration} wires it, after its first sweep. */
    RedisMembership server(int maxMembers, RecordedEvents publishedTo) {
        RedisStoreConfiguration wiring = new RedisStoreConfiguration();
        MembershipScripts scripts = wiring.membershipScripts(template, ReplicaAcknowledgedWrites.NONE);
        RankingFeed feed = wiring.rankingFeed(scripts, publishedTo, PauseAwareTicker.system());
        feeds.add(feed);
        RankingSubscription subscription = wiring.rankingSubscription(connections, feed);
        subscription.start();
        subscriptions.add(subscription);
        RedisMembership membership = new RedisMembership(scripts, feed, subscription, maxMembers, TTL,
                MAX_FAILED_DELIVERIES, CLOCK);
        membership.expireLapsedLeases();
        return membership;
    }

    @Override
    protected void elapse(Duration duration) {
        template.execute(ELAPSE, List.of(), Long.toString(duration.toMillis()));
    }

    /** Every key of the store, as {@code DUMP} serialises it (leases without their expiry). */
    static Map<String, byte[]> dumpRedis() {
        Map<String, byte[]> dumped = new HashMap<>();
        template.keys("rank:*").forEach(key -> dumped.put(key, template.dump(key)));
        return dumped;
    }

    /** Redis holds exactly what {@link #dumpRedis()} returned. */
    static void restoreRedis(Map<String, byte[]> dumped) {
        redis.flushAll();
        dumped.forEach((key, value) -> template.restore(key, value, 0, TimeUnit.MILLISECONDS));
    }

    static List<String> addresses(List<RankedMember> members) {
        return members.stream().map(RankedMember::address).toList();
    }

    void noServerSweptFor(Duration duration) {
        template.execute(LAST_SWEPT_AGO, List.of(), Long.toString(duration.toMillis()));
    }

    @Nested
    class Concurrency {

        static final int THREADS = 4;
        static final int JOINS_PER_THREAD = 100;

        /** A member some thread registered, with the epoch its registration created. */
        record Joined(Registration registration, RedisMembership through) {
        }

        @Test
        void registerAndLeave_manyThreadsThroughTwoServers_ranksDenseUniqueInJoinOrderEpochsIncreasing() throws Exception {
            RecordedEvents eventsOfA = new RecordedEvents();
            RecordedEvents eventsOfB = new RecordedEvents();
            List<RedisMembership> servers = List.of(server(10_000, eventsOfA), server(10_000, eventsOfB));
            ExecutorService threads = Executors.newFixedThreadPool(THREADS);
            List<Future<List<Joined>>> work = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                work.add(threads.submit(() -> joinAndLeave(thread, servers)));
            }
            List<Joined> stayed = new ArrayList<>();
            try {
                for (Future<List<Joined>> result : work) {
                    stayed.addAll(result.get(30, java.util.concurrent.TimeUnit.SECONDS));
                }
            } finally {
                threads.shutdownNow();
            }

            var ranking = servers.get(1).snapshot().toRanking();
            assertThat(ranking.members()).extracting(RankedMember::rank)
                    .containsExactlyElementsOf(IntStream.range(0, stayed.size()).boxed().toList());
            List<String> inJoinOrder = stayed.stream()
                    .sorted(java.util.Comparator.comparingLong(joined -> joined.registration().epoch()))
                    .map(joined -> joined.registration().address()).toList();
            assertThat(addresses(ranking.members())).as("ranks follow join order").containsExactlyElementsOf(inJoinOrder);
            int joins = THREADS * JOINS_PER_THREAD;
            assertThat(ranking.epoch()).as("one epoch per join and per leave").isEqualTo(2L * joins - stayed.size());
            for (RecordedEvents seen : List.of(eventsOfA, eventsOfB)) {
                eventually(() -> assertThat(seen.lastRankingChange().epoch()).isEqualTo(ranking.epoch()));
                assertThat(seen.rankingChanges()).extracting(RankingChanged::epoch).as("every change, in epoch order")
                        .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, ranking.epoch()).boxed().toList());
                assertThat(seen.lastRankingChange().ranking().toRanking()).isEqualTo(ranking);
            }
        }

        /** Registers through one server, renews and sometimes leaves through the other: what several clients do. */
        private List<Joined> joinAndLeave(int thread, List<RedisMembership> servers) {
            java.util.Random random = new java.util.Random(thread);
            List<Joined> mine = new ArrayList<>();
            for (int i = 0; i < JOINS_PER_THREAD; i++) {
                RedisMembership through = servers.get(random.nextInt(2));
                RedisMembership other = servers.get(1 - servers.indexOf(through));
                Registration joined = through.register("10.%d.%d.%d:8080".formatted(thread, i / 250, i % 250)).registration();
                other.renewLease(joined.id(), joined.leaseToken());
                mine.add(new Joined(joined, through));
                if (random.nextInt(3) > 0) {
                    Joined leaving = mine.remove(random.nextInt(mine.size()));
                    other.leave(leaving.registration().id(), leaving.registration().leaseToken());
                }
            }
            return mine;
        }
    }

    @Nested
    class CommandRate {

        @Test
        void acquire_throughTwoServers_oneAllowancePerMember() {
            RedisCommandRateLimiter a = new RedisCommandRateLimiter(new MembershipScripts(template), 5);
            RedisCommandRateLimiter b = new RedisCommandRateLimiter(new MembershipScripts(template), 5);
            for (int i = 0; i < 5; i++) {
                (i % 2 == 0 ? a : b).acquire("member-1");
            }

            for (RedisCommandRateLimiter server : List.of(a, b)) {
                assertThatThrownBy(() -> server.acquire("member-1")).isInstanceOfSatisfying(ProblemException.class,
                        problem -> {
                            assertThat(problem.type()).isEqualTo(ProblemType.RATE_LIMITED);
                            assertThat(problem.getHeaders().getFirst("Retry-After")).isEqualTo("1");
                        });
            }
            b.acquire("member-2");
        }
    }

    @Nested
    class Outages {

        @Test
        void register_scriptFailsOnRedis_internalErrorLoggedAsAScriptFailureNothingChanged(CapturedOutput output) {
            join("10.0.0.1:8080");
            long epoch = membership.snapshot().epoch();
            template.opsForValue().set("rank:epoch", "not-a-number"); // INCR in the script fails: Redis answers ERR

            assertThatThrownBy(() -> membership.register("10.0.0.2:8080"))
                    .isInstanceOfSatisfying(ProblemException.class, problem -> {
                        assertThat(problem.type()).isEqualTo(ProblemType.INTERNAL_ERROR);
                        assertThat(problem.getBody().getDetail()).contains("failed a step").doesNotContain("ERR");
                    });
            assertThat(output).contains("Redis failed the membership script redis/register.lua: ERR");
            template.opsForValue().set("rank:epoch", Long.toString(epoch));
            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080");
        }

        @Test
        void register_redisDoesNotAnswer_serviceUnavailableLoggedAsAnOutage(CapturedOutput output) {
            RedisServer gone = RedisServer.startOnFreePort();
            gone.stop();
            var goneConnections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", gone.port()));
            goneConnections.afterPropertiesSet();
            goneConnections.start();
            try {
                MembershipScripts scripts = new RedisStoreConfiguration().membershipScripts(
                        new StringRedisTemplate(goneConnections), ReplicaAcknowledgedWrites.NONE);
                RedisMembership server = new RedisMembership(scripts, null, null, 5, TTL, MAX_FAILED_DELIVERIES, CLOCK);

                assertThatThrownBy(() -> server.register("10.0.0.2:8080"))
                        .isInstanceOfSatisfying(ProblemException.class,
                                problem -> assertThat(problem.type()).isEqualTo(ProblemType.SERVICE_UNAVAILABLE));
                assertThat(output).contains("Redis does not answer");
            } finally {
                goneConnections.destroy();
            }
        }

        @Test
        void sweep_afterNoServerSweptLongerThanPause_everyLeaseRenewedAndLogged(CapturedOutput output) {
            Registration alive = join("10.0.0.1:8080");
            join("10.0.0.2:8080");
            noServerSweptFor(Duration.ofSeconds(30));
            elapse(TTL); // on Redis's clock, while no server could act for the members

            membership.expireLapsedLeases();

            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
            assertThat(output).contains("No server swept the leases for 30", "every one of the 2 leases gets a fresh TTL");

            // After the gap only the member that keeps heartbeating stays.
            elapse(Duration.ofSeconds(6));
            membership.renewLease(alive.id(), alive.leaseToken());
            elapse(Duration.ofSeconds(6));
            membership.expireLapsedLeases();
            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080");
        }

        @Test
        void renewLease_leaseLapsedWhileNoServerSwept_renewedNotRemoved() {
            Registration member = join("10.0.0.1:8080");
            noServerSweptFor(Duration.ofSeconds(30));
            elapse(TTL);

            assertThat(membership.renewLease(member.id(), member.leaseToken()).rank()).isZero();
            membership.expireLapsedLeases();

            assertThat(membership.snapshot().size()).isEqualTo(1);
            assertThat(membership.snapshot().epoch()).isEqualTo(1);
        }

        @Test
        void feed_changesMissedWhileUnsubscribed_nextChangeReadsRankingAgainAsSnapshot() {
            RecordedEvents eventsOfB = new RecordedEvents();
            RedisMembership b = server(5, eventsOfB);
            subscriptions.get(1).stop();
            join("10.0.0.1:8080");
            join("10.0.0.2:8080");
            subscriptions.get(1).start();

            join("10.0.0.3:8080");

            eventually(() -> assertThat(eventsOfB.rankingChanges()).singleElement().satisfies(change -> {
                assertThat(change.reason()).isEqualTo(ChangeReason.SNAPSHOT);
                assertThat(change.epoch()).isEqualTo(3);
                assertThat(change.ranking().toRanking()).isEqualTo(b.snapshot().toRanking());
            }));
        }

        @Test
        void feed_changesMissedAndNoneFollows_sweepsCatchUpWithinLagLimit() {
            RecordedEvents eventsOfB = new RecordedEvents();
            RedisMembership b = server(5, eventsOfB);
            subscriptions.get(1).stop();
            join("10.0.0.1:8080");
            subscriptions.get(1).start();

            eventually(() -> {
                b.expireLapsedLeases();
                assertThat(eventsOfB.rankingChanges()).singleElement().satisfies(change -> {
                    assertThat(change.reason()).isEqualTo(ChangeReason.SNAPSHOT);
                    assertThat(change.epoch()).isEqualTo(1);
                });
            });
        }

        @Test
        void feed_changeItCannotRead_readsRankingAgain() {
            RecordedEvents eventsOfB = new RecordedEvents();
            server(5, eventsOfB);
            subscriptions.get(1).stop();
            join("10.0.0.1:8080");
            subscriptions.get(1).start();

            // As a server of the version before histories would announce it.
            template.convertAndSend(MembershipScripts.CHANGES_CHANNEL, "1 joined 1 some-id 0 10.0.0.1:8080");

            eventually(() -> assertThat(eventsOfB.rankingChanges()).singleElement().satisfies(change -> {
                assertThat(change.reason()).isEqualTo(ChangeReason.SNAPSHOT);
                assertThat(change.epoch()).isEqualTo(1);
            }));
        }

        @Test
        void subscription_redisAwayWhenServerStarts_subscribesOnceItAnswers() {
            RedisServer late = RedisServer.startOnFreePort();
            late.stop();
            var lateConnections = new LettuceConnectionFactory(new RedisStandaloneConfiguration("127.0.0.1", late.port()));
            lateConnections.afterPropertiesSet();
            lateConnections.start();
            try {
                RedisStoreConfiguration wiring = new RedisStoreConfiguration();
                MembershipScripts scripts = wiring.membershipScripts(new StringRedisTemplate(lateConnections),
                        ReplicaAcknowledgedWrites.NONE);
                RankingFeed feed = wiring.rankingFeed(scripts, events, PauseAwareTicker.system());
                feeds.add(feed);
                RankingSubscription subscription = wiring.rankingSubscription(lateConnections, feed);
                subscription.start();
                subscriptions.add(subscription);
                RedisMembership server = new RedisMembership(scripts, feed, subscription, 5, TTL, MAX_FAILED_DELIVERIES,
                        CLOCK);
                server.expireLapsedLeases();
                assertThat(subscription.subscribed()).isFalse();

                late.start();
                eventually(() -> {
                    server.expireLapsedLeases();
                    assertThat(subscription.subscribed()).isTrue();
                });
                server.register("10.0.0.9:8080");
                eventuallyLastChange(ChangeReason.JOINED, "10.0.0.9:8080", 1);
            } finally {
                subscriptions.forEach(RankingSubscription::stop);
                lateConnections.destroy();
                late.stop();
            }
        }

        @Test
        void feed_redisLostItsData_readsEmptyRankingAtAHigherEpochThenFollowsAgain() {
            join("10.0.0.1:8080");
            join("10.0.0.2:8080");
            eventually(() -> assertThat(events.rankingChanges()).hasSize(2));

            redis.flushAll();
            membership.expireLapsedLeases();

            // Epochs never step back: the empty ranking comes at an epoch past the last one watchers saw.
            eventuallyLastChange(ChangeReason.SNAPSHOT, null, 3);
            assertThat(events.lastRankingChange().ranking().size()).isZero();
            join("10.0.0.3:8080");
            eventuallyLastChange(ChangeReason.JOINED, "10.0.0.3:8080", 4);
            assertThat(events.lastRankingChange().ranking().members()).extracting(RankedMember::address)
                    .containsExactly("10.0.0.3:8080");
        }

        @Test
        void snapshot_redisLostItsDataThenCaughtUpWithTheCopysEpoch_listsWhatRedisHolds() {
            Registration lost = join("10.0.0.1:8080");
            eventuallyLastChange(ChangeReason.JOINED, "10.0.0.1:8080", 1);
            redis.flushAll();

            Registration again = join("10.0.0.1:8080"); // epoch 1 again: same address and join sequence, new id

            assertThat(again.epoch()).isEqualTo(lost.epoch());
            assertThat(membership.snapshot().members()).extracting(RankedMember::id).containsExactly(again.id());
            membership.remove(again.id());
            assertThat(membership.snapshot().size()).isZero();
        }

        @Test
        void feed_redisLostItsDataThenCaughtUpWithTheCopysEpoch_changeAtThatEpochReadsRankingAgain() {
            join("10.0.0.1:8080");
            eventuallyLastChange(ChangeReason.JOINED, "10.0.0.1:8080", 1);
            redis.flushAll();

            Registration again = join("10.0.0.1:8080");

            eventuallyLastChange(ChangeReason.SNAPSHOT, null, 2);
            assertThat(events.lastRankingChange().ranking().members()).extracting(RankedMember::id)
                    .containsExactly(again.id());
        }

        @Test
        void feed_redisLostItsDataWhileUnsubscribed_sweepAtTheCopysEpochReadsRankingAgain() {
            RecordedEvents eventsOfB = new RecordedEvents();
            RedisMembership b = server(5, eventsOfB);
            join("10.0.0.1:8080");
            eventually(() -> assertThat(eventsOfB.rankingChanges()).hasSize(1));
            subscriptions.get(1).stop();
            redis.flushAll();
            Registration again = join("10.0.0.1:8080"); // b never hears of it
            subscriptions.get(1).start();

            eventually(() -> {
                b.expireLapsedLeases();
                assertThat(eventsOfB.lastRankingChange()).satisfies(change -> {
                    assertThat(change.reason()).isEqualTo(ChangeReason.SNAPSHOT);
                    assertThat(change.epoch()).isEqualTo(2);
                    assertThat(change.ranking().members()).extracting(RankedMember::id).containsExactly(again.id());
                });
            });
        }

        @Test
        void snapshot_redisLostItsLastChangeThenCaughtUpWithTheCopysEpoch_listsWhatRedisHolds() {
            join("10.0.0.1:8080");
            Map<String, byte[]> afterFirstJoin = dumpRedis();
            join("10.0.0.2:8080");
            eventuallyLastChange(ChangeReason.JOINED, "10.0.0.2:8080", 2);
            restoreRedis(afterFirstJoin); // as when a replica one change behind takes over

            join("10.0.0.3:8080"); // epoch 2 again, with another member second

            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
            eventuallyLastChange(ChangeReason.SNAPSHOT, null, 3);
            assertThat(addresses(events.lastRankingChange().ranking().members()))
                    .containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
        }
    }

    @Nested
    class SharedByServers {

        final RecordedEvents eventsOfB = new RecordedEvents();

        @Test
        void register_throughOneServer_otherListsSameRanksAndEpoch() {
            RedisMembership b = server(5, eventsOfB);
            join("10.0.0.1:8080");
            Registration second = join("10.0.0.2:8080");

            assertThat(b.snapshot().toRanking()).isEqualTo(membership.snapshot().toRanking());
            assertThat(b.find(second.id())).hasValueSatisfying(details -> assertThat(details.rank()).isEqualTo(1));
            assertThat(b.renewLease(second.id(), second.leaseToken()).epoch()).isEqualTo(2);
            eventually(() -> assertThat(eventsOfB.rankingChanges()).extracting(RankingChanged::reason)
                    .containsExactly(ChangeReason.JOINED, ChangeReason.JOINED));
            assertThat(eventsOfB.lastRankingChange().ranking().toRanking()).isEqualTo(membership.snapshot().toRanking());
        }

        @Test
        void sweep_twoServersAtOnce_eachLapsedMemberExpiredOnce() throws Exception {
            RedisMembership b = server(100, eventsOfB);
            List<String> joined = IntStream.range(0, 40).mapToObj(i -> "10.0.1.%d:8080".formatted(i)).toList();
            joined.forEach(b::register);
            elapse(TTL);

            ExecutorService sweepers = Executors.newFixedThreadPool(2);
            try {
                List<Callable<Void>> sweeps = List.of(sweepRepeatedly(membership), sweepRepeatedly(b));
                for (Future<Void> sweep : sweepers.invokeAll(sweeps)) {
                    sweep.get();
                }
            } finally {
                sweepers.shutdownNow();
            }

            assertThat(b.snapshot().size()).isZero();
            assertThat(b.snapshot().epoch()).isEqualTo(80);
            for (RecordedEvents seen : List.of(events, eventsOfB)) {
                eventually(() -> assertThat(seen.rankingChanges().stream()
                        .filter(change -> change.reason() == ChangeReason.EXPIRED).map(RankingChanged::address))
                        .containsExactlyInAnyOrderElementsOf(joined));
            }
        }

        private Callable<Void> sweepRepeatedly(Membership server) {
            return () -> {
                for (int i = 0; i < 20; i++) {
                    server.expireLapsedLeases();
                }
                return null;
            };
        }
    }
}
