package dev.rankcluster.server.dashboard;

import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.SessionProtocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A member's session as a client holds it: a WebSocket to the rank server, opened with the member's lease token.
 * Like {@link CommandReceiver}, it accepts every delivery: each is acknowledged with 204.
 */
final class MemberSocket implements AutoCloseable {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final HttpClient http;
    private final WebSocket socket;

    private MemberSocket(HttpClient http, WebSocket socket) {
        this.http = http;
        this.socket = socket;
    }

    static MemberSocket open(String baseUrl, Registration member) {
        HttpClient http = HttpClient.newHttpClient();
        try {
            WebSocket socket = http.newWebSocketBuilder()
                    .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                    .connectTimeout(Duration.ofSeconds(5))
                    .buildAsync(URI.create(baseUrl.replaceFirst("^http", "ws") + SessionProtocol.path(member.id())),
                            new Acknowledging())
                    .get(5, TimeUnit.SECONDS);
            return new MemberSocket(http, socket);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            http.close();
            throw new IllegalStateException("interrupted while opening the session of " + member.address(), e);
        } catch (ExecutionException | TimeoutException e) {
            http.close();
            throw new IllegalStateException("could not open the session of " + member.address(), e);
        }
    }

    /** Closes the session from the member's side without unregistering: to the server, a dropped session. */
    void hangUp() {
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").orTimeout(5, TimeUnit.SECONDS).join();
    }

    /** Drops the connection without a close frame, as a killed process does. */
    void abort() {
        socket.abort();
    }

    /** Answers each delivery frame with an ack; deliveries are small, so each arrives as one whole text frame. */
    private static final class Acknowledging implements WebSocket.Listener {

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence text, boolean last) {
            var frame = JSON.readValue(text.toString(), SessionProtocol.Frame.class);
            if (SessionProtocol.DELIVERY.equals(frame.type())) {
                String commandId = JSON.readTree(frame.body()).path("commandId").asString();
                socket.sendText(JSON.writeValueAsString(new SessionProtocol.Ack(commandId, 204, null)), true);
            }
            socket.request(1);
            return null;
        }
    }

    @Override
    public void close() {
        socket.abort();
        http.close();
    }
}
