package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rankcluster.model.ChangeReason;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.events.RankingChanged;
import dev.rankcluster.server.support.FakeTicker;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

class CaffeineMembershipTests {

    static final Duration TTL = Duration.ofSeconds(10);

    final FakeTicker ticker = new FakeTicker();
    final RecordedEvents events = new RecordedEvents();
    final CaffeineMembership membership = membership(5);

    CaffeineMembership membership(int maxMembers) {
        return new CaffeineMembership(maxMembers, TTL, 3, ticker,
                Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC), events);
    }

    Registration join(String address) {
        return membership.register(address).registration();
    }

    List<String> addressesByRank() {
        return membership.snapshot().members().stream().map(RankedMember::address).toList();
    }

    static void assertProblem(ThrowingCallable call, ProblemType type) {
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
            CaffeineMembership small = membership(2);
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
            ticker.advance(TTL);

            RegistrationOutcome again = membership.register("10.0.0.1:8080");

            assertThat(again.created()).isTrue();
            assertThat(again.registration().id()).isNotEqualTo(old.id());
            assertThat(again.registration().rank()).isEqualTo(1);
            assertThat(events.rankingChanges()).extracting(RankingChanged::reason)
                    .containsExactly(ChangeReason.JOINED, ChangeReason.JOINED, ChangeReason.EXPIRED, ChangeReason.JOINED);
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
            RankingChanged change = events.lastRankingChange();
            assertThat(change.reason()).isEqualTo(ChangeReason.LEFT);
            assertThat(change.address()).isEqualTo("10.0.0.2:8080");
            assertThat(change.epoch()).isEqualTo(4);
            assertThat(change.ranking().members()).extracting(RankedMember::rank).containsExactly(0, 1);
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

            assertThat(events.lastRankingChange().reason()).isEqualTo(ChangeReason.REMOVED);
            assertThat(membership.snapshot().size()).isZero();
            assertProblem(() -> membership.remove(a.id()), ProblemType.NOT_FOUND);
        }
    }

    @Nested
    class Leases {

        @Test
        void sweep_justBeforeTtl_memberStays() {
            join("10.0.0.1:8080");
            ticker.advance(TTL.minusNanos(1));

            membership.expireLapsedLeases();

            assertThat(membership.snapshot().size()).isEqualTo(1);
        }

        @Test
        void sweep_afterTtl_memberExpiredAndLowerRanksPromoted() {
            join("10.0.0.1:8080");
            Registration b = join("10.0.0.2:8080");
            ticker.advance(Duration.ofSeconds(6));
            membership.renewLease(b.id(), b.leaseToken());
            ticker.advance(Duration.ofSeconds(4));

            membership.expireLapsedLeases();

            assertThat(addressesByRank()).containsExactly("10.0.0.2:8080");
            RankingChanged change = events.lastRankingChange();
            assertThat(change.reason()).isEqualTo(ChangeReason.EXPIRED);
            assertThat(change.address()).isEqualTo("10.0.0.1:8080");
            assertThat(change.epoch()).isEqualTo(3);
        }

        @Test
        void renewLease_beforeTtl_keepsMemberAnotherTtl() {
            Registration a = join("10.0.0.1:8080");
            for (int i = 0; i < 5; i++) {
                ticker.advance(Duration.ofSeconds(9));
                assertThat(membership.renewLease(a.id(), a.leaseToken()).rank()).isZero();
                membership.expireLapsedLeases();
            }
            assertThat(membership.snapshot().size()).isEqualTo(1);
            assertThat(membership.snapshot().epoch()).isEqualTo(1);
        }

        @Test
        void renewLease_afterTtl_notFoundAndMemberRemoved() {
            Registration a = join("10.0.0.1:8080");
            ticker.advance(TTL);

            assertProblem(() -> membership.renewLease(a.id(), a.leaseToken()), ProblemType.NOT_FOUND);
            assertThat(membership.snapshot().size()).isZero();
            assertThat(events.lastRankingChange().reason()).isEqualTo(ChangeReason.EXPIRED);
        }

        @Test
        void renewLease_wrongToken_forbidden() {
            Registration a = join("10.0.0.1:8080");

            assertProblem(() -> membership.renewLease(a.id(), "wrong"), ProblemType.FORBIDDEN);
        }

        @Test
        void renewAllLeases_afterPause_everyLeaseGetsFreshTtl() {
            join("10.0.0.1:8080");
            ticker.advance(Duration.ofSeconds(9));

            membership.renewAllLeases();
            ticker.advance(Duration.ofSeconds(9));
            membership.expireLapsedLeases();

            assertThat(membership.snapshot().size()).isEqualTo(1);
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
            assertThat(events.lastRankingChange().reason()).isEqualTo(ChangeReason.UNREACHABLE);
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
            assertThat(targets.epoch()).isEqualTo(4);
            assertThat(targets.targets()).extracting(RankedMember::rank).containsExactly(2, 3);
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

            assertThat(membership.commandTargets(a.id(), a.leaseToken(), c.id()).targets())
                    .extracting(RankedMember::address).containsExactly("10.0.0.3:8080");
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

        assertThat(events.rankingChanges()).extracting(RankingChanged::epoch).containsExactly(1L, 2L, 3L);
        assertThat(membership.snapshot().epoch()).isEqualTo(3);
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
            assertThat(details.rank()).isEqualTo(1);
            assertThat(details.epoch()).isEqualTo(2);
            assertThat(details.joinedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
        });
        assertThat(membership.find("nobody")).isEmpty();
    }
}
