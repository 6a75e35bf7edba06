package dev.rankcluster.server.session;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.SessionProtocol;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;

/**
 * One member's open session: the socket, the registration it was opened with, and the deliveries that wait for
 * the member's acknowledgement. The socket is decorated so that several threads may send on it at once.
 */
public final class MemberSession {

    private final String memberId;
    private final String address;
    private final String leaseToken;
    private final byte[] deliveryKey;
    /** Keyed once for the session's life rather than once per delivery. */
    private final DeliverySignature signature;
    private final WebSocketSession socket;
    private final Map<String, CompletableFuture<SessionProtocol.Ack>> awaiting = new ConcurrentHashMap<>();
    /** Set when this server closes the session, so that the close is not taken for a broken connection. */
    private final AtomicReference<CloseCause> closedBy = new AtomicReference<>();
    private final AtomicBoolean reported = new AtomicBoolean();

    MemberSession(String memberId, String address, String leaseToken, byte[] deliveryKey, WebSocketSession socket) {
        this.memberId = memberId;
        this.address = address;
        this.leaseToken = leaseToken;
        this.deliveryKey = deliveryKey;
        this.signature = DeliverySignature.withKey(deliveryKey);
        this.socket = socket;
    }

    public String memberId() {
        return memberId;
    }

    public String address() {
        return address;
    }

    String leaseToken() {
        return leaseToken;
    }

    /** Whether the session belongs to the registration whose deliveries this key signs. */
    public boolean signsWith(byte[] key) {
        return MessageDigest.isEqual(deliveryKey, key);
    }

    /** {@code sha256=<hex HMAC>} of a delivery for this member, as {@link DeliverySignature#sign(long, byte[])}. */
    public String sign(long timestampMillis, byte[] body) {
        return signature.sign(timestampMillis, body);
    }

    /**
     * Sends a delivery frame; the future completes with the member's acknowledgement, or with {@link SessionLost}
     * if the session closes first. Never blocks for the answer.
     */
    public CompletableFuture<SessionProtocol.Ack> deliver(String commandId, String frame) {
        CompletableFuture<SessionProtocol.Ack> ack = new CompletableFuture<>();
        awaiting.put(commandId, ack);
        ack.whenComplete((answer, failure) -> awaiting.remove(commandId, ack));
        if (closedBy.get() != null || !socket.isOpen()) {
            ack.completeExceptionally(new SessionLost("session closed"));
            return ack;
        }
        try {
            socket.sendMessage(new TextMessage(frame));
        } catch (IOException | RuntimeException sendFailed) {
            ack.completeExceptionally(new SessionLost("session failed: " + sendFailed.getMessage()));
        }
        return ack;
    }

    void acknowledged(SessionProtocol.Ack ack) {
        CompletableFuture<SessionProtocol.Ack> waiting = awaiting.get(ack.commandId());
        if (waiting != null) {
            waiting.complete(ack);
        }
    }

    void send(String frame) throws IOException {
        socket.sendMessage(new TextMessage(frame));
    }

    /** Closes the session for {@code cause}; only the first cause counts. */
    void close(CloseCause cause, String reason) {
        if (closedBy.compareAndSet(null, cause)) {
            try {
                socket.close(new CloseStatus(cause.code(), reason));
            } catch (IOException | RuntimeException alreadyGone) {
                // the connection is gone anyway: the container reports the close
            }
        }
    }

    /** True the first time only: its close is reported (logged, published) once, by whoever comes first. */
    boolean reportClose() {
        return reported.compareAndSet(false, true);
    }

    /** Why it ended: the cause this server closed it for, else a dropped connection. */
    CloseCause ended() {
        closedBy.compareAndSet(null, CloseCause.DROPPED);
        awaiting.values().forEach(ack -> ack.completeExceptionally(new SessionLost("session closed")));
        return closedBy.get();
    }
}
