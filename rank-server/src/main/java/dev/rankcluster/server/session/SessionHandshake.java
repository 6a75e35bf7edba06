package dev.rankcluster.server.session;

import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.server.membership.DepartedMembers;
import dev.rankcluster.server.membership.LastHeard;
import dev.rankcluster.server.membership.Membership;
import dev.rankcluster.server.membership.MembershipProblems;
import dev.rankcluster.server.system.ProblemException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.HandshakeInterceptor;
import tools.jackson.databind.json.JsonMapper;

/**
 * Lets a session open only for a member's current registration: the handshake must carry the member's
 * {@code X-Lease-Token}, and proves (renews) its lease. Refusals are problem documents, before any upgrade.
 */
final class SessionHandshake implements HandshakeInterceptor {

    /** The registration a session is opened for, handed from the handshake to the handler. */
    record Opening(String memberId, String address, String leaseToken) {
        static final String ATTRIBUTE = "rank.session.opening";

        @Override
        public String toString() {
            return "Opening[memberId=%s, address=%s, token hidden]".formatted(memberId, address);
        }
    }

    private static final String PREFIX = "/api/v1/members/";
    private static final String SUFFIX = "/session";

    private final Membership membership;
    private final DepartedMembers departed;
    private final LastHeard lastHeard;
    private final JsonMapper json;

    SessionHandshake(Membership membership, DepartedMembers departed, LastHeard lastHeard, JsonMapper json) {
        this.membership = membership;
        this.departed = departed;
        this.lastHeard = lastHeard;
        this.json = json;
    }

    @Override
    public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                                   Map<String, Object> attributes) throws IOException {
        try {
            attributes.put(Opening.ATTRIBUTE, opening(request));
            return true;
        } catch (ProblemException problem) {
            refuse(response, problem);
            return false;
        }
    }

    private Opening opening(ServerHttpRequest request) {
        if (!"websocket".equalsIgnoreCase(request.getHeaders().getUpgrade())) {
            throw ProblemException.invalidRequest("this path opens a member's session: a WebSocket upgrade "
                    + "(GET with Upgrade: websocket) carrying the member's " + RankHeaders.LEASE_TOKEN);
        }
        String id = memberId(request.getURI().getPath());
        String token = request.getHeaders().getFirst(RankHeaders.LEASE_TOKEN);
        if (token == null || token.isBlank()) {
            throw ProblemException.unauthorized("opening a session needs the member's " + RankHeaders.LEASE_TOKEN + " header");
        }
        try {
            membership.renewLease(id, token);
        } catch (ProblemException problem) {
            if (problem.type() == ProblemType.NOT_FOUND) {
                throw MembershipProblems.leaseGone(id, departed.reasonFor(id));
            }
            throw problem;
        }
        lastHeard.heardFrom(id);
        MemberDetails member = membership.find(id).orElseThrow(() -> MembershipProblems.leaseGone(id, departed.reasonFor(id)));
        return new Opening(id, member.address(), token);
    }

    private static String memberId(String path) {
        if (path == null || !path.startsWith(PREFIX) || !path.endsWith(SUFFIX)
                || path.length() <= PREFIX.length() + SUFFIX.length()) {
            throw ProblemException.notFound("no member at " + path);
        }
        return path.substring(PREFIX.length(), path.length() - SUFFIX.length());
    }

    private void refuse(ServerHttpResponse response, ProblemException problem) throws IOException {
        ProblemDetail detail = problem.getBody();
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("type", detail.getType().toString());
        document.put("title", detail.getTitle());
        document.put("status", detail.getStatus());
        document.put("detail", detail.getDetail());
        if (detail.getProperties() != null) {
            document.putAll(detail.getProperties());
        }
        response.setStatusCode(problem.getStatusCode());
        response.getHeaders().setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        response.getBody().write(json.writeValueAsBytes(document));
    }

    @Override
    public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler handler,
                               Exception failure) {
        // nothing to undo: the lease renewal stands either way
    }
}
