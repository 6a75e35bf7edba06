package dev.rankcluster.client.registration;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.Registration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.stereotype.Component;

/** This client's current registration with the rank server, if it has one. */
@Component
public class RegistrationState {

    private final AtomicReference<Registration> current = new AtomicReference<>();

    public Optional<Registration> current() {
        return Optional.ofNullable(current.get());
    }

    public void registered(Registration registration) {
        current.set(registration);
    }

    /** Takes the rank and TTL of a heartbeat's answer; the previous registration. */
    Registration renewed(LeaseRenewal renewal) {
        return current.getAndUpdate(r -> r == null ? null : new Registration(r.id(), r.address(), renewal.rank(),
                r.leaseToken(), renewal.leaseTtlMs(), renewal.epoch()));
    }

    /** Forgets the registration; the one forgotten, if any. */
    public Optional<Registration> lost() {
        return Optional.ofNullable(current.getAndSet(null));
    }
}
