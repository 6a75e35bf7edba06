package dev.rankcluster.server.membership;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import dev.rankcluster.server.system.BearerTokens;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.Optional;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

@RestController
class MembershipController {

    static final String MEMBERS = "/api/v1/members";

    private final Membership membership;
    private final MemberAddresses addresses;
    private final String adminToken;
    private final DepartedMembers departed;
    private final LastHeard lastHeard;

    MembershipController(Membership membership, MemberAddresses addresses, RankServerProperties properties,
                         DepartedMembers departed, LastHeard lastHeard) {
        this.membership = membership;
        this.addresses = addresses;
        this.adminToken = properties.adminToken();
        this.departed = departed;
        this.lastHeard = lastHeard;
    }

    @PostMapping(path = MEMBERS, consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Registration> register(@RequestBody RegistrationRequest request, HttpServletRequest http) {
        RegistrationOutcome outcome = membership.register(addresses.addressOf(request, http.getRemoteAddr()));
        Registration registration = outcome.registration();
        lastHeard.heardFrom(registration.id());
        if (outcome.created()) {
            return ResponseEntity.created(URI.create(MEMBERS + "/" + registration.id())).body(registration);
        }
        return ResponseEntity.ok(registration);
    }

    @GetMapping(MEMBERS)
    Ranking ranking() {
        return membership.snapshot().toRanking();
    }

    @GetMapping(MEMBERS + "/{id}")
    MemberDetails member(@PathVariable String id) {
        return membership.find(id)
                .orElseThrow(() -> ProblemException.notFound("no member with id %s".formatted(id)));
    }

    @PutMapping(MEMBERS + "/{id}/lease")
    LeaseRenewal renewLease(@PathVariable String id,
                            @RequestHeader(name = RankHeaders.LEASE_TOKEN, required = false) String leaseToken) {
        if (leaseToken == null || leaseToken.isBlank()) {
            throw ProblemException.unauthorized("renewing a lease needs the member's " + RankHeaders.LEASE_TOKEN + " header");
        }
        try {
            LeaseRenewal renewal = membership.renewLease(id, leaseToken);
            lastHeard.heardFrom(id);
            return renewal;
        } catch (ProblemException problem) {
            if (problem.type() == ProblemType.NOT_FOUND) {
                // Tell the member why, so that its log says more than "lease lost".
                throw MembershipProblems.leaseGone(id, departed.reasonFor(id));
            }
            throw problem;
        }
    }

    @DeleteMapping(MEMBERS + "/{id}")
    ResponseEntity<Void> remove(@PathVariable String id,
                                @RequestHeader(name = RankHeaders.LEASE_TOKEN, required = false) String leaseToken,
                                @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        Optional<String> bearer = BearerTokens.from(authorization);
        if (leaseToken != null && !leaseToken.isBlank()) {
            membership.leave(id, leaseToken);
        } else if (bearer.isPresent()) {
            if (!BearerTokens.sameSecret(adminToken, bearer.get())) {
                throw ProblemException.forbidden(adminToken == null
                        ? "removal by an operator is off: rank.server.admin-token is not set"
                        : "the bearer token is not the admin token");
            }
            membership.remove(id);
        } else {
            throw ProblemException.unauthorized("removing a member needs its " + RankHeaders.LEASE_TOKEN
                    + " header or the admin's Authorization: Bearer token");
        }
        return ResponseEntity.noContent().build();
    }
}
