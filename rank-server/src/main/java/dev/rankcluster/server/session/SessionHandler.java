package dev.rankcluster.server.session;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.SessionProtocol;
import dev.rankcluster.server.membership.DepartedMembers;
import dev.rankcluster.server.membership.LastHeard;
import dev.rankcluster.server.system.ProblemException;
import dev.rankcluster.server.system.RankServerProperties;
import java.io.IOException;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The frames of a member's session: {@code renew} renews the lease and is answered with the rank, {@code ack}
 * completes a delivery. Anything else closes the session ({@code 4400}) and changes nothing.
 */
final class SessionHandler extends TextWebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(SessionHandler.class);
    private static final String SESSION = "rank.session";
    /** Frames queued for a member that does not read them: beyond this the session is closed. */
    private static final int SEND_BUFFER_LIMIT = 1024 * 1024;

    private final MemberSessions sessions;
    private final SessionLeases leases;
    private final DepartedMembers departed;
    private final LastHeard lastHeard;
    private final JsonMapper json;
    private final int sendTimeLimitMs;

    SessionHandler(MemberSessions sessions, SessionLeases leases, DepartedMembers departed, LastHeard lastHeard,
                   JsonMapper json, RankServerProperties properties) {
        this.sessions = sessions;
        this.leases = leases;
        this.departed = departed;
        this.lastHeard = lastHeard;
        this.json = json;
        this.sendTimeLimitMs = (int) Math.min(Integer.MAX_VALUE, properties.deliveryTimeout().toMillis());
    }

    @Override
    public void afterConnectionEstablished(WebSocketSession socket) {
        var opening = (SessionHandshake.Opening) socket.getAttributes().get(SessionHandshake.Opening.ATTRIBUTE);
        var session = new MemberSession(opening.memberId(), opening.address(), opening.leaseToken(),
                DeliverySignature.deliveryKey(opening.leaseToken()),
                new ConcurrentWebSocketSessionDecorator(socket, sendTimeLimitMs, SEND_BUFFER_LIMIT));
        socket.getAttributes().put(SESSION, session);
        sessions.opened(session);
    }

    @Override
    protected void handleTextMessage(WebSocketSession socket, TextMessage message) {
        MemberSession session = (MemberSession) socket.getAttributes().get(SESSION);
        String payload = message.getPayload();
        if (payload.equals(SessionProtocol.RENEW_FRAME)) {
            renew(session);
            return;
        }
        SessionProtocol.Frame frame;
        try {
            frame = json.readValue(payload, SessionProtocol.Frame.class);
        } catch (JacksonException notAFrame) {
            session.close(CloseCause.INVALID_FRAME, "not a JSON frame");
            return;
        }
        if (frame == null || frame.type() == null) {
            session.close(CloseCause.INVALID_FRAME, "a frame needs a type: renew or ack");
        } else if (frame.type().equals(SessionProtocol.RENEW)) {
            renew(session);
        } else if (frame.type().equals(SessionProtocol.ACK) && frame.commandId() != null && frame.status() != null) {
            session.acknowledged(new SessionProtocol.Ack(frame.commandId(), frame.status(), frame.problem()));
        } else if (frame.type().equals(SessionProtocol.ACK)) {
            session.close(CloseCause.INVALID_FRAME, "an ack needs commandId and status");
        } else {
            session.close(CloseCause.INVALID_FRAME, "unknown frame type: " + abbreviated(frame.type()));
        }
    }

    @Override
    protected void handleBinaryMessage(WebSocketSession socket, BinaryMessage message) {
        ((MemberSession) socket.getAttributes().get(SESSION)).close(CloseCause.INVALID_FRAME, "binary frames are not part of the protocol");
    }

    private void renew(MemberSession session) {
        leases.renew(session.memberId(), session.leaseToken()).whenComplete((renewal, failure) -> {
            if (failure == null) {
                lastHeard.heardFrom(session.memberId());
                answer(session, renewal);
            } else {
                refused(session, failure instanceof CompletionException ? failure.getCause() : failure);
            }
        });
    }

    private void answer(MemberSession session, LeaseRenewal renewal) {
        try {
            session.send(SessionFrames.renewed(renewal));
        } catch (IOException | RuntimeException gone) {
            log.debug("Could not answer the renewal of {}: {}", session.address(), gone.toString());
        }
    }

    private void refused(MemberSession session, Throwable failure) {
        if (failure instanceof ProblemException problem && problem.type() == ProblemType.NOT_FOUND) {
            session.close(CloseCause.GONE, "no longer registered: "
                    + departed.reasonFor(session.memberId()).map(r -> r.wireName()).orElse("unknown"));
        } else if (failure instanceof ProblemException problem && problem.type() == ProblemType.FORBIDDEN) {
            session.close(CloseCause.REPLACED, "a newer registration took the address");
        } else {
            // The store did not answer (503): no answer to this frame; the member's next one may fare better.
            log.debug("Could not renew the lease of {}: {}", session.address(), failure.toString());
        }
    }

    @Override
    public void afterConnectionClosed(WebSocketSession socket, CloseStatus status) {
        MemberSession session = (MemberSession) socket.getAttributes().get(SESSION);
        if (session != null) {
            sessions.closed(session, status.getCode(), status.getReason());
        }
    }

    @Override
    public void handleTransportError(WebSocketSession socket, Throwable failure) {
        log.debug("Session transport error: {}", failure.toString());
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
