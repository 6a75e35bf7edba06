package dev.rankcluster.server.membership;

import dev.rankcluster.model.Registration;

/** A registration, and whether it created a member ({@code 201}) or renewed an existing one ({@code 200}). */
public record RegistrationOutcome(Registration registration, boolean created) {
}
