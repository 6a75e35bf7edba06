package dev.rankcluster.server.session;

import dev.rankcluster.server.system.BearerTokens;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lets an operator drop a member's session, as a broken connection would: the server probes the member, which
 * keeps its rank if it still answers (and opens a new session), and is removed as {@code disconnected} if not.
 */
@RestController
@Tag(name = "sessions", description = "Members' WebSocket sessions (GET /api/v1/members/{id}/session opens one)")
class SessionController {

    private final MemberSessions sessions;
    private final String adminToken;

    SessionController(MemberSessions sessions, RankServerProperties properties) {
        this.sessions = sessions;
        this.adminToken = properties.adminToken();
    }

    @Operation(summary = "Drop a member's session: the member is probed, and removed only if nothing answers",
            security = @SecurityRequirement(name = "bearer"))
    @ApiResponse(responseCode = "204", description = "dropped")
    @ApiResponse(responseCode = "401", description = "no bearer token")
    @ApiResponse(responseCode = "403", description = "not the admin token, or the server has none")
    @ApiResponse(responseCode = "404", description = "the member has no session with this server")
    @DeleteMapping("/api/v1/sessions/{memberId}")
    ResponseEntity<Void> drop(@PathVariable String memberId,
                              @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization) {
        String bearer = BearerTokens.from(authorization).orElseThrow(() -> ProblemException.unauthorized(
                "dropping a session needs the admin's Authorization: Bearer token"));
        if (!BearerTokens.sameSecret(adminToken, bearer)) {
            throw ProblemException.forbidden(adminToken == null
                    ? "dropping sessions is off: rank.server.admin-token is not set"
                    : "the bearer token is not the admin token");
        }
        if (!sessions.drop(memberId)) {
            throw ProblemException.notFound("member %s has no session with this server".formatted(memberId));
        }
        return ResponseEntity.noContent().build();
    }
}
