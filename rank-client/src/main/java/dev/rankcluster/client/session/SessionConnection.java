package dev.rankcluster.client.session;

import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.ProblemType;
import dev.rankcluster.model.SessionProtocol;
import java.net.URI;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.ErrorResponseException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One open session with the rank server, on the JDK's WebSocket client: answers the server's frames (the rank
 * after a renewal, deliveries to check and execute) and sends this client's. The JDK client allows one send at a
 * time, so sends are chained.
 */
final class SessionConnection implements WebSocket.Listener {

    /** What the owner of the session hears of it. */
    interface Events {
        void renewed(LeaseRenewal renewal);

        /** Called once, however the session ended. */
        void closed(SessionConnection connection, int code, String reason);
    }

    private static final Logger log = LoggerFactory.getLogger(SessionConnection.class);

    private final URI server;
    private final DeliveryHandler deliveries;
    private final Events events;
    private final JsonMapper json;
    private final ExecutorService executor;
    private final StringBuilder partial = new StringBuilder();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final long openedAtNanos = System.nanoTime();
    private volatile WebSocket socket;
    private CompletableFuture<?> sending = CompletableFuture.completedFuture(null);

    SessionConnection(URI server, DeliveryHandler deliveries, Events events, JsonMapper json, ExecutorService executor) {
        this.server = server;
        this.deliveries = deliveries;
        this.events = events;
        this.json = json;
        this.executor = executor;
    }

    URI server() {
        return server;
    }

    long ageNanos() {
        return System.nanoTime() - openedAtNanos;
    }

    boolean isOpen() {
        return !ended.get() && socket != null && !socket.isOutputClosed();
    }

    void renew() {
        send(SessionProtocol.RENEW_FRAME);
    }

    /** Says goodbye, without waiting for the server's answer. */
    void close() {
        WebSocket current = socket;
        if (current != null && ended.compareAndSet(false, true)) {
            current.sendClose(WebSocket.NORMAL_CLOSURE, "leaving").whenComplete((ws, failure) -> current.abort());
        }
    }

    private synchronized void send(String frame) {
        WebSocket current = socket;
        sending = sending.exceptionally(failure -> null).thenCompose(previous -> current.sendText(frame, true))
                .exceptionally(failure -> {
                    log.debug("Could not send on the session: {}", failure.toString());
                    return null;
                });
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        socket = webSocket;
        webSocket.request(1);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            handle(frame);
        }
        webSocket.request(1);
        return null;
    }

    private void handle(String text) {
        SessionProtocol.Frame frame;
        try {
            frame = json.readValue(text, SessionProtocol.Frame.class);
        } catch (JacksonException unreadable) {
            log.debug("Ignoring an unreadable frame from the server: {}", unreadable.getOriginalMessage());
            return;
        }
        if (SessionProtocol.RENEWED.equals(frame.type()) && frame.rank() != null && frame.epoch() != null
                && frame.leaseTtlMs() != null) {
            events.renewed(new LeaseRenewal(frame.rank(), frame.epoch(), frame.leaseTtlMs()));
        } else if (SessionProtocol.DELIVERY.equals(frame.type()) && frame.body() != null) {
            executor.execute(() -> deliver(frame));
        } else {
            log.debug("Ignoring a frame of type {} from the server", frame.type());
        }
    }

    /** Checks and executes the delivery, and acknowledges it with what an HTTP answer would have said. */
    private void deliver(SessionProtocol.Frame frame) {
        String commandId = commandIdOf(frame.body());
        int status = 204;
        String problem = null;
        try {
            deliveries.receive(frame.timestamp() == null ? null : frame.timestamp().toString(), frame.signature(),
                    frame.body().getBytes(StandardCharsets.UTF_8));
        } catch (ErrorResponseException refused) {
            status = refused.getStatusCode().value();
            problem = problemName(refused);
        } catch (RuntimeException failed) {
            log.warn("A delivery on the session failed: {}", failed.toString());
            status = ProblemType.INTERNAL_ERROR.status();
            problem = ProblemType.INTERNAL_ERROR.problemName();
        }
        if (commandId != null) {
            send(json.writeValueAsString(new SessionProtocol.Ack(commandId, status, problem)));
        }
    }

    /** Read on its own, so that even a delivery refused as malformed is acknowledged when it names its id. */
    private String commandIdOf(String body) {
        try {
            JsonNode id = json.readTree(body).path("commandId");
            return id.isString() ? id.asString() : null;
        } catch (JacksonException unreadable) {
            return null;
        }
    }

    private static String problemName(ErrorResponseException refused) {
        String type = refused.getBody().getType().toString();
        return type.substring(type.lastIndexOf('/') + 1);
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        end(statusCode, reason);
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        end(1006, error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage());
    }

    private void end(int code, String reason) {
        if (ended.compareAndSet(false, true)) {
            WebSocket current = socket;
            if (current != null) {
                current.abort();
            }
            events.closed(this, code, reason);
        } else {
            // closed by this client: nothing to report
            WebSocket current = socket;
            if (current != null) {
                current.abort();
            }
        }
    }
}
