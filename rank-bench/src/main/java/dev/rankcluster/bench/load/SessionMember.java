package dev.rankcluster.bench.load;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.SessionProtocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.LongAdder;
import tools.jackson.databind.json.JsonMapper;

/**
 * A simulated member on its session (docs/sessions.md): a WebSocket of the JDK's client to
 * {@code /api/v1/members/{id}/session}. It checks each {@code delivery} frame's signature with its member's
 * delivery key and its {@code receiverId}, as the HTTP {@link Receivers} check a POST, and answers an {@code ack}:
 * {@code 204}, or {@code 401 invalid-signature} / {@code 403 misaddressed}. It sends {@code renew} frames on
 * demand, and can keep a number of them in flight: each {@code renewed} answer sends the next.
 */
final class SessionMember implements WebSocket.Listener {

    /** What all the members of a benchmark saw, added up. */
    record Counts(LongAdder acknowledged, LongAdder refused, LongAdder renewed, LongAdder closed, LongAdder failedSends) {

        Counts() {
            this(new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder(), new LongAdder());
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String RENEWED_PREFIX = "{\"type\":\"" + SessionProtocol.RENEWED + "\"";

    private final Registration member;
    private final DeliverySignature signature;
    private final Counts counts;
    private final StringBuilder partial = new StringBuilder();
    /** The JDK's WebSocket takes one send at a time: each frame is sent when the one before it has gone. */
    private CompletableFuture<?> lastSend = CompletableFuture.completedFuture(null);
    private volatile WebSocket socket;
    private volatile boolean pumping;
    private volatile boolean closing;

    private SessionMember(Registration member, Counts counts) {
        this.member = member;
        this.signature = DeliverySignature.forLeaseToken(member.leaseToken());
        this.counts = counts;
    }

    /** Opens the member's session; fails as the handshake was refused (401, 403, 404) or could not be made. */
    static CompletableFuture<SessionMember> open(HttpClient client, URI server, Registration member, Counts counts) {
        SessionMember session = new SessionMember(member, counts);
        URI uri = URI.create("ws://%s:%d%s".formatted(server.getHost(), server.getPort(), SessionProtocol.path(member.id())));
        return client.newWebSocketBuilder()
                .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                .connectTimeout(Duration.ofSeconds(10))
                .buildAsync(uri, session)
                .thenApply(socket -> {
                    session.socket = socket; // onOpen may not have run yet
                    return session;
                });
    }

    Registration registration() {
        return member;
    }

    void renew() {
        send(SessionProtocol.RENEW_FRAME);
    }

    /** Keeps {@code inFlight} renewals outstanding until {@link #stopPumping}: pipelined, bounded per session. */
    void pumpRenewals(int inFlight) {
        pumping = true;
        for (int i = 0; i < inFlight; i++) {
            renew();
        }
    }

    void stopPumping() {
        pumping = false;
    }

    boolean isPumping() {
        return pumping;
    }

    /** Closes the session as a member that stays registered would not: only at the end of a measurement. */
    void close() {
        closing = true;
        pumping = false;
        WebSocket open = socket;
        if (open != null && !open.isOutputClosed()) {
            synchronized (this) {
                lastSend = lastSend.handle((sent, failed) -> null)
                        .thenCompose(ignored -> open.sendClose(WebSocket.NORMAL_CLOSURE, "benchmark done"));
            }
        }
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        // Every frame is handled as it comes: no back pressure to apply to the server.
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(frame);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        if (!closing) {
            counts.closed().increment();
            System.err.printf("  session of %s closed by the server: %d %s%n", member.address(), statusCode, reason);
        }
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        if (!closing) {
            counts.closed().increment();
            System.err.printf("  session of %s failed: %s%n", member.address(), error);
        }
    }

    private void handle(String text) {
        // The server writes the type first: a renewed frame, the most frequent, is known without parsing.
        if (text.startsWith(RENEWED_PREFIX)) {
            renewed();
            return;
        }
        SessionProtocol.Frame frame = JSON.readValue(text, SessionProtocol.Frame.class);
        switch (frame.type()) {
            case SessionProtocol.RENEWED -> renewed();
            case SessionProtocol.DELIVERY -> acknowledge(frame);
            default -> throw new IllegalStateException("a frame the protocol does not have: " + text);
        }
    }

    private void renewed() {
        counts.renewed().increment();
        if (pumping) {
            renew();
        }
    }

    private void acknowledge(SessionProtocol.Frame frame) {
        String body = frame.body();
        String commandId = stringField(body, "commandId");
        String outcome;
        if (frame.timestamp() == null || !signature.matches(frame.timestamp(), body.getBytes(StandardCharsets.UTF_8),
                frame.signature())) {
            counts.refused().increment();
            outcome = "\"status\":401,\"problem\":\"invalid-signature\"";
        } else if (!member.id().equals(stringField(body, "receiverId"))) {
            counts.refused().increment();
            outcome = "\"status\":403,\"problem\":\"misaddressed\"";
        } else {
            counts.acknowledged().increment();
            outcome = "\"status\":204";
        }
        send("{\"type\":\"ack\",\"commandId\":\"" + commandId + "\"," + outcome + "}");
    }

    /**
     * A string field of the server's compact JSON, whose ids hold no quote or escape: read without a parser, as the
     * HTTP receivers read their requests, to keep the generator's CPU per delivery small beside the server's.
     */
    private static String stringField(String json, String name) {
        String key = "\"" + name + "\":\"";
        int start = json.indexOf(key);
        if (start < 0) {
            return null;
        }
        start += key.length();
        return json.substring(start, json.indexOf('"', start));
    }

    private synchronized void send(String frame) {
        WebSocket open = socket;
        if (open == null || closing) {
            return;
        }
        lastSend = lastSend.handle((sent, failed) -> null)
                .thenCompose(ignored -> open.sendText(frame, true))
                .whenComplete((sent, failed) -> {
                    if (failed != null && !closing) {
                        counts.failedSends().increment();
                    }
                });
    }
}
