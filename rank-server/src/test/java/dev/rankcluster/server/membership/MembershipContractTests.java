package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.awaitility.core.ThrowingRunnable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/**
 * What every membership store does alike: one subclass per store runs these cases against it.
 * Time moves only through {@link #elapse(Duration)}; events may arrive a little later than the change
 * (the Redis store hears of changes through Redis), so assertions on them wait for them.
 */
public abstract class MembershipContractTests {

    protected static final Duration TTL = Duration.ofSeconds(10);
    protected static final int MAX_FAILED_DELIVERIES = 3;
    protected static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

    protected final RecordedEvents events = new RecordedEvents();
    protected Membership membership;

    /** A store with {@link #TTL}, {@link #MAX_FAILED_DELIVERIES}, {@link #CLOCK}, publishing to {@link #events}. */
    protected abstract Membership newMembership(int maxMembers);

    /** Lets the leases' time pass. */
    protected abstract void elapse(Duration duration);

    @BeforeEach
    void createMembership() {
        membership = newMembership(5);
    }

    protected Registration join(String address) {
        return membership.register(address).registration();
    }

    protected List<String> addressesByRank() {
        return membership.snapshot().members().stream().map(RankedMember::address).toList();
    }

    protected static void eventually(ThrowingRunnable assertion) {
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10)).ignoreExceptions().untilAsserted(assertion);
    }

    protected void eventuallyLastChange(ChangeReason reason, String address, long epoch) {
        eventually(() -> {
            RankingChanged change = events.lastRankingChange();
            assertThat(change.reason()).isEqualTo(reason);
            assertThat(change.address()).isEqualTo(address);
            assertThat(change.epoch()).isEqualTo(epoch);
        });
    }

    protected static void assertProblem(ThrowingCallable call, ProblemType type) {
        assertThatThrownBy(call).isInstanceOfSatisfying(ProblemException.class,
                problem -> assertThat(problem.type()).isEqualTo(type));
    }

    @Nested
    class Register {

        @Test
        void register_newAddresses_ranksFollowJoinOrder() {
            Registration a = join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");
            Registration c = join("10.0.0.3:8080");

            assertThat(List.of(a.rank(), b.rank(), c.rank())).containsExactly(0, 1, 2);
            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080", "10.0.0.2:8080", "10.0.0.3:8080");
            assertThat(c.epoch()).isEqualTo(3);
            assertThat(a.leaseTtlMs()).isEqualTo(10_000);
            assertThat(a.leaseToken()).hasSizeGreaterThanOrEqualTo(22).matches("[A-Za-z0-9_-]+");
            eventuallyLastChange(ChangeReason.JOINED, "10.0.0.3:8080", 3);
        }

        @Test
        void register_existingAddress_sameIdAndRankNewTokenNoChange() {
            Registration first = join("10.0.0.1:8080");
            join("10.0.0.2:8080");

            RegistrationOutcome again = membership.register("10.0.0.1:8080");

            assertThat(again.created()).isFalse();
            assertThat(again.registration().id()).isEqualTo(first.id());
            assertThat(again.registration().rank()).isZero();
            assertThat(again.registration().leaseToken()).isNotEqualTo(first.leaseToken());
            assertThat(membership.snapshot().epoch()).isEqualTo(2);
            assertProblem(() -> membership.renewLease(first.id(), first.leaseToken()), ProblemType.FORBIDDEN);
            assertThat(membership.renewLease(first.id(), again.registration().leaseToken()).rank()).isZero();
        }

        @Test
        void register_full_refusedWithClusterFullAndRetryAfter() {
            Membership small = newMembership(2);
            small.register("10.0.0.1:8080");
            small.register("10.0.0.2:8080");

            assertThatThrownBy(() -> small.register("10.0.0.3:8080")).isInstanceOfSatisfying(ProblemException.class,
                    problem -> {
                        assertThat(problem.type()).isEqualTo(ProblemType.CLUSTER_FULL);
                        assertThat(problem.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isNotBlank();
                    });
            assertThat(small.snapshot().epoch()).isEqualTo(2);
            assertThat(small.register("10.0.0.2:8080").created()).as("a member may still re-register").isFalse();
        }

        @Test
        void register_addressWhoseLeaseLapsedButNotSwept_expiresItAndAppends() {
            Registration old = join("10.0.0.1:8080");
            join("10.0.0.2:8080");
            elapse(TTL);

            RegistrationOutcome again = membership.register("10.0.0.1:8080");

            assertThat(again.created()).isTrue();
            assertThat(again.registration().id()).isNotEqualTo(old.id());
            assertThat(again.registration().rank()).isEqualTo(1);
            eventually(() -> assertThat(events.rankingChanges()).extracting(RankingChanged::reason).containsExactly(
                    ChangeReason.JOINED, ChangeReason.JOINED, ChangeReason.EXPIRED, ChangeReason.JOINED));
        }
    }

    @Nested
    class Leave {

        @Test
        void leave_middleMember_lowerRanksPromoted() {
            join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");
            Registration c = join("10.0.0.3:8080");

            membership.leave(b.id(), b.leaseToken());

            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080", "10.0.0.3:8080");
            assertThat(membership.renewLease(c.id(), c.leaseToken()).rank()).isEqualTo(1);
            eventuallyLastChange(ChangeReason.LEFT, "10.0.0.2:8080", 4);
            assertThat(events.lastRankingChange().ranking().members()).extracting(RankedMember::rank).containsExactly(0, 1);
        }

        @Test
        void leave_wrongToken_forbiddenAndNothingChanges() {
            Registration a = join("10.0.0.1:8080");

            assertProblem(() -> membership.leave(a.id(), "not-the-token"), ProblemType.FORBIDDEN);
            assertThat(membership.snapshot().epoch()).isEqualTo(1);
            assertThat(addressesByRank()).containsExactly("10.0.0.1:8080");
        }

        @Test
        void leave_unknownId_notFound() {
            assertProblem(() -> membership.leave("nobody", "token"), ProblemType.NOT_FOUND);
        }

        @Test
        void remove_byOperator_publishesRemoved() {
            Registration a = join("10.0.0.1:8080");

            membership.remove(a.id());

            assertThat(membership.snapshot().size()).isZero();
            eventuallyLastChange(ChangeReason.REMOVED, "10.0.0.1:8080", 2);
            assertProblem(() -> membership.remove(a.id()), ProblemType.NOT_FOUND);
        }
    }

    @Nested
    class Leases {

        @Test
        void sweep_beforeTtl_memberStays() {
            join("10.0.0.1:8080");
            elapse(TTL.minusMillis(200));

            membership.expireLapsedLeases();

            assertThat(membership.snapshot().size()).isEqualTo(1);
        }

        @Test
        void sweep_afterTtl_memberExpiredAndLowerRanksPromoted() {
            join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");
            elapse(Duration.ofSeconds(6));
            membership.renewLease(b.id(), b.leaseToken());
            elapse(Duration.ofSeconds(4));

            membership.expireLapsedLeases();

            assertThat(addressesByRank()).containsExactly("10.0.0.2:8080");
            eventuallyLastChange(ChangeReason.EXPIRED, "10.0.0.1:8080", 3);
        }

        @Test
        void renewLease_beforeTtl_keepsMemberAnotherTtl() {
            Registration a = join("10.0.0.1:8080");
            for (int i = 0; i < 5; i++) {
                elapse(Duration.ofSeconds(9));
                assertThat(membership.renewLease(a.id(), a.leaseToken()).rank()).isZero();
                membership.expireLapsedLeases();
            }
            assertThat(membership.snapshot().size()).isEqualTo(1);
            assertThat(membership.snapshot().epoch()).isEqualTo(1);
        }

        @Test
        void renewLease_afterTtl_notFoundAndMemberRemoved() {
            Registration a = join("10.0.0.1:8080");
            elapse(TTL);

            assertProblem(() -> membership.renewLease(a.id(), a.leaseToken()), ProblemType.NOT_FOUND);
            assertThat(membership.snapshot().size()).isZero();
            eventuallyLastChange(ChangeReason.EXPIRED, "10.0.0.1:8080", 2);
        }

        @Test
        void renewLease_wrongToken_forbidden() {
            Registration a = join("10.0.0.1:8080");

            assertProblem(() -> membership.renewLease(a.id(), "wrong"), ProblemType.FORBIDDEN);
        }
    }

    @Nested
    class Deliveries {

        @Test
        void recordDelivery_maxConsecutiveFailures_removedAsUnreachable() {
            Registration a = join("10.0.0.1:8080");
            membership.recordDelivery(a.id(), false);
            membership.recordDelivery(a.id(), false);
            assertThat(membership.snapshot().size()).isEqualTo(1);

            membership.recordDelivery(a.id(), false);

            assertThat(membership.snapshot().size()).isZero();
            eventuallyLastChange(ChangeReason.UNREACHABLE, "10.0.0.1:8080", 2);
        }

        @Test
        void recordDelivery_successBetweenFailures_resetsCount() {
            Registration a = join("10.0.0.1:8080");
            membership.recordDelivery(a.id(), false);
            membership.recordDelivery(a.id(), false);
            membership.recordDelivery(a.id(), true);
            membership.recordDelivery(a.id(), false);
            membership.recordDelivery(a.id(), false);

            assertThat(membership.snapshot().size()).isEqualTo(1);
        }

        @Test
        void recordDelivery_unknownMember_ignored() {
            membership.recordDelivery("nobody", false);

            assertThat(membership.snapshot().epoch()).isZero();
        }
    }

    @Nested
    class Commands {

        @Test
        void commandTargets_noTarget_everyLowerRank() {
            join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");
            join("10.0.0.3:8080");
            join("10.0.0.4:8080");

            CommandTargets targets = membership.commandTargets(b.id(), b.leaseToken(), null);

            assertThat(targets.sender().rank()).isEqualTo(1);
            assertThat(targets.sender().address()).isEqualTo("10.0.0.2:8080");
            assertThat(targets.epoch()).isEqualTo(4);
            assertThat(targets.targets()).extracting(RankedMember::rank).containsExactly(2, 3);
            assertThat(targets.targets()).extracting(RankedMember::address).containsExactly("10.0.0.3:8080", "10.0.0.4:8080");
        }

        @Test
        void commandTargets_lowestRank_reachesNobody() {
            join("10.0.0.1:8080");
            Registration last = join("10.0.0.2:8080");

            assertThat(membership.commandTargets(last.id(), last.leaseToken(), null).targets()).isEmpty();
        }

        @Test
        void commandTargets_targetBelow_onlyThatTarget() {
            Registration a = join("10.0.0.1:8080");
            join("10.0.0.2:8080");
            Registration c = join("10.0.0.3:8080");

            assertThat(membership.commandTargets(a.id(), a.leaseToken(), c.id()).targets()).singleElement()
                    .satisfies(target -> {
                        assertThat(target.address()).isEqualTo("10.0.0.3:8080");
                        assertThat(target.rank()).isEqualTo(2);
                        assertThat(target.id()).isEqualTo(c.id());
                    });
        }

        @Test
        void commandTargets_targetNotBelowSender_rankViolation() {
            Registration a = join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");

            assertProblem(() -> membership.commandTargets(b.id(), b.leaseToken(), a.id()), ProblemType.RANK_VIOLATION);
            assertProblem(() -> membership.commandTargets(b.id(), b.leaseToken(), b.id()), ProblemType.RANK_VIOLATION);
        }

        @Test
        void commandTargets_unknownSenderOrTarget_notFound() {
            Registration a = join("10.0.0.1:8080");

            assertProblem(() -> membership.commandTargets("nobody", "token", null), ProblemType.NOT_FOUND);
            assertProblem(() -> membership.commandTargets(a.id(), a.leaseToken(), "nobody"), ProblemType.NOT_FOUND);
        }

        @Test
        void commandTargets_wrongToken_forbidden() {
            Registration a = join("10.0.0.1:8080");

            assertProblem(() -> membership.commandTargets(a.id(), "wrong", null), ProblemType.FORBIDDEN);
        }
    }

    @Test
    void epoch_growsByOneWithEveryChangeOnly() {
        Registration a = join("10.0.0.1:8080");
        join("10.0.0.2:8080");
        Registration b = join("10.0.0.2:8080");
        membership.renewLease(a.id(), a.leaseToken());
        membership.leave(b.id(), b.leaseToken());

        assertThat(membership.snapshot().epoch()).isEqualTo(3);
        eventually(() -> assertThat(events.rankingChanges()).extracting(RankingChanged::epoch).containsExactly(1L, 2L, 3L));
    }

    @Test
    void snapshot_takenBeforeChange_staysAsItWas() {
        Registration a = join("10.0.0.1:8080");
        join("10.0.0.2:8080");
        RankingSnapshot before = membership.snapshot();

        membership.leave(a.id(), a.leaseToken());

        assertThat(before.epoch()).isEqualTo(2);
        assertThat(before.members()).extracting(RankedMember::address).containsExactly("10.0.0.1:8080", "10.0.0.2:8080");
    }

    @Test
    void find_member_detailsWithRankAndEpoch() {
        join("10.0.0.1:8080");
        Registration b = join("10.0.0.2:8080");

        assertThat(membership.find(b.id())).hasValueSatisfying(details -> {
            assertThat(details.id()).isEqualTo(b.id());
            assertThat(details.address()).isEqualTo("10.0.0.2:8080");
            assertThat(details.rank()).isEqualTo(1);
            assertThat(details.epoch()).isEqualTo(2);
            assertThat(details.joinedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        });
        assertThat(membership.find("nobody")).isEmpty();
    }

    @Test
    void snapshot_listsMembersWithIdsAndJoinTimes() {
        Registration a = join("10.0.0.1:8080");

        assertThat(membership.snapshot().members()).singleElement().satisfies(member -> {
            assertThat(member.id()).isEqualTo(a.id());
            assertThat(member.rank()).isZero();
            assertThat(member.joinedAt()).isEqualTo(CLOCK.instant());
        });
    }
}
