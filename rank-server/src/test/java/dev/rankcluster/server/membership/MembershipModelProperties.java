package dev.rankcluster.server.membership;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.model.Registration;
import dev.rankcluster.server.support.FakeTicker;
import dev.rankcluster.server.support.RecordedEvents;
import dev.rankcluster.server.system.ProblemException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random sequences of register, renew, leave, remove, failed or successful delivery, time passing and the
 * expiry sweep, applied both to the membership and to a plain list: after every step the ranking equals
 * the list, ranks are dense, and the epoch grew by exactly the number of changes the list saw.
 */
class MembershipModelProperties {

    static final Duration TTL = Duration.ofSeconds(10);
    static final int MAX_MEMBERS = 6;
    static final int MAX_FAILED = 3;

    enum Kind { REGISTER, RENEW, LEAVE, REMOVE, DELIVERY_FAILED, DELIVERED, TIME_PASSES, SWEEP }

    record Step(Kind kind, int address, int seconds) {
    }

    /** The model: members in join order, each with the time its lease was last written. */
    static final class ModelMember {
        final String address;
        long leaseWrittenAt;
        int failures;

        ModelMember(String address, long now) {
            this.address = address;
            this.leaseWrittenAt = now;
        }
    }

    @Property(tries = 300)
    void everyStep_rankingMatchesListModel(@ForAll("steps") @Size(max = 60) List<Step> steps) {
        FakeTicker ticker = new FakeTicker();
        CaffeineMembership membership = new CaffeineMembership(MAX_MEMBERS, TTL, MAX_FAILED, ticker, Clock.systemUTC(),
                new RecordedEvents());
        List<ModelMember> model = new ArrayList<>();
        Map<String, Registration> registrations = new HashMap<>();
        long now = 0;

        for (Step step : steps) {
            String address = "10.0.0.%d:8080".formatted(step.address());
            ModelMember member = model.stream().filter(m -> m.address.equals(address)).findFirst().orElse(null);
            Registration registration = registrations.get(address);
            long nowAtStep = now;
            boolean lapsed = member != null && nowAtStep - member.leaseWrittenAt >= TTL.toNanos();
            long epochBefore = membership.snapshot().epoch();
            int changes = 0;

            switch (step.kind()) {
                case REGISTER -> {
                    if (lapsed) {
                        model.remove(member);
                        member = null;
                        changes++;
                    }
                    if (member != null) {
                        member.leaseWrittenAt = now;
                        registrations.put(address, membership.register(address).registration());
                    } else if (model.size() >= MAX_MEMBERS) {
                        expectProblem(() -> membership.register(address), ProblemType.CLUSTER_FULL);
                    } else {
                        model.add(new ModelMember(address, now));
                        changes++;
                        registrations.put(address, membership.register(address).registration());
                    }
                }
                case RENEW -> {
                    if (registration == null) {
                        break;
                    }
                    if (member == null || lapsed) {
                        if (lapsed) {
                            model.remove(member);
                            changes++;
                        }
                        expectProblem(() -> membership.renewLease(registration.id(), registration.leaseToken()),
                                ProblemType.NOT_FOUND);
                    } else {
                        member.leaseWrittenAt = now;
                        assertThat(membership.renewLease(registration.id(), registration.leaseToken()).rank())
                                .isEqualTo(model.indexOf(member));
                    }
                }
                case LEAVE -> {
                    if (registration == null) {
                        break;
                    }
                    if (member != null) {
                        model.remove(member);
                        changes++;
                    }
                    if (member == null || lapsed) {
                        expectProblem(() -> membership.leave(registration.id(), registration.leaseToken()),
                                ProblemType.NOT_FOUND);
                    } else {
                        membership.leave(registration.id(), registration.leaseToken());
                    }
                }
                case REMOVE -> {
                    if (registration == null) {
                        break;
                    }
                    if (member == null) {
                        expectProblem(() -> membership.remove(registration.id()), ProblemType.NOT_FOUND);
                    } else {
                        model.remove(member);
                        changes++;
                        membership.remove(registration.id());
                    }
                }
                case DELIVERY_FAILED, DELIVERED -> {
                    if (registration == null) {
                        break;
                    }
                    boolean delivered = step.kind() == Kind.DELIVERED;
                    if (member != null) {
                        member.failures = delivered ? 0 : member.failures + 1;
                        if (member.failures >= MAX_FAILED) {
                            model.remove(member);
                            changes++;
                        }
                    }
                    membership.recordDelivery(registration.id(), delivered);
                }
                case TIME_PASSES -> {
                    now += Duration.ofSeconds(step.seconds()).toNanos();
                    ticker.advance(Duration.ofSeconds(step.seconds()));
                }
                case SWEEP -> {
                    int before = model.size();
                    model.removeIf(m -> nowAtStep - m.leaseWrittenAt >= TTL.toNanos());
                    changes += before - model.size();
                    membership.expireLapsedLeases();
                }
            }

            RankingSnapshot snapshot = membership.snapshot();
            assertThat(snapshot.members()).extracting(RankedMember::address).as("after %s", step)
                    .containsExactlyElementsOf(model.stream().map(m -> m.address).toList());
            assertThat(snapshot.members()).extracting(RankedMember::rank).as("dense ranks after %s", step)
                    .containsExactlyElementsOf(java.util.stream.IntStream.range(0, model.size()).boxed().toList());
            assertThat(snapshot.epoch() - epochBefore).as("epoch growth after %s", step).isEqualTo(changes);
        }
    }

    private static void expectProblem(Runnable call, ProblemType type) {
        try {
            call.run();
        } catch (ProblemException problem) {
            assertThat(problem.type()).isEqualTo(type);
            return;
        }
        throw new AssertionError("expected a %s problem".formatted(type.problemName()));
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> step = Combinators.combine(
                Arbitraries.of(Kind.class),
                Arbitraries.integers().between(0, 7),
                Arbitraries.integers().between(1, 12)).as(Step::new);
        return step.list();
    }
}
