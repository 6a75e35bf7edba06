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
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
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
@Tag(name = "members", description = "Register, list, renew leases, unregister")
class MembershipController {

    static final String MEMBERS = "/api/v1/members";

    private final Membership membership;
    private final MemberAddresses addresses;
    private final String adminToken;
    private final DepartedMembers departed;
    private final LastHeard lastHeard;
    private final SessionPresence sessions;

    MembershipController(Membership membership, MemberAddresses addresses, RankServerProperties properties,
                         DepartedMembers departed, LastHeard lastHeard, SessionPresence sessions) {
        this.sessions = sessions;
        this.membership = membership;
        this.addresses = addresses;
        this.adminToken = properties.adminToken();
        this.departed = departed;
        this.lastHeard = lastHeard;
    }

    @Operation(summary = "Register: join at the lowest rank",
            description = "The address is the IP the request comes from and the given port. Registering an address "
                    + "that is already a member keeps its id and rank and issues a new lease token.",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "201", description = "a new member, at the lowest rank")
    @ApiResponse(responseCode = "200", description = "already a member: same id and rank, a new lease token")
    @ApiResponse(responseCode = "400", description = "malformed body, or a port outside 1..65535")
    @ApiResponse(responseCode = "401", description = "the server has a cluster token and the request does not carry it")
    @ApiResponse(responseCode = "503", description = "cluster-full: the server holds its maximum of members (Retry-After)")
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

    @Operation(summary = "The ranking: every member by rank, with the epoch it was read at",
            description = "session: whether the member is on a session with this server")
    @GetMapping(MEMBERS)
    Ranking ranking() {
        Ranking ranking = membership.snapshot().toRanking();
        return new Ranking(ranking.epoch(), ranking.members().stream()
                .map(member -> member.withSession(sessions.isOnSession(member.id()))).toList());
    }

    @Operation(summary = "One member, with its rank and the epoch")
    @ApiResponse(responseCode = "200", description = "the member")
    @ApiResponse(responseCode = "404", description = "no such member, or its lease expired")
    @GetMapping(MEMBERS + "/{id}")
    MemberDetails member(@PathVariable String id) {
        return membership.find(id).map(member -> member.withSession(sessions.isOnSession(id)))
                .orElseThrow(() -> ProblemException.notFound("no member with id %s".formatted(id)));
    }

    @Operation(summary = "Heartbeat: renew the member's lease", description = "Renew about three times per lease TTL.")
    @ApiResponse(responseCode = "200", description = "renewed; the answer carries the member's current rank")
    @ApiResponse(responseCode = "401", description = "no X-Lease-Token")
    @ApiResponse(responseCode = "403", description = "the lease token is not this member's current one")
    @ApiResponse(responseCode = "404", description = "the lease is gone: register again")
    @PutMapping(MEMBERS + "/{id}/lease")
    LeaseRenewal renewLease(@PathVariable String id,
                            @Parameter(description = "the lease token the registration answered")
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

    @Operation(summary = "Unregister a member: the ranks below it move up at once",
            description = "With the member's own X-Lease-Token (reason left), or with the admin token as bearer "
                    + "token (reason removed).",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "removed")
    @ApiResponse(responseCode = "401", description = "neither a lease token nor a bearer token")
    @ApiResponse(responseCode = "403", description = "a wrong lease token or admin token, or the server has no admin token")
    @ApiResponse(responseCode = "404", description = "no such member")
    @DeleteMapping(MEMBERS + "/{id}")
    ResponseEntity<Void> remove(@PathVariable String id,
                                @Parameter(description = "the member's own lease token")
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
