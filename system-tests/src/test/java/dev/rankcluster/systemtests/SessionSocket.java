package dev.rankcluster.systemtests;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A member session the test opens itself, to send what a well-behaved client never would. It records the frames
 * the server sends and how the server closed it.
 */
final class SessionSocket implements WebSocket.Listener, AutoCloseable {

    /** How the server ended the session. */
    record Closed(int code, String reason) {
    }

    private final List<String> received = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;

    private SessionSocket() {
    }

    /** Opens the session; fails with the handshake's refusal ({@link java.net.http.WebSocketHandshakeException}). */
    static SessionSocket open(RankServer server, String memberId, String leaseToken) throws Exception {
        var session = new SessionSocket();
        session.socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("X-Lease-Token", leaseToken)
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/api/v1/members/" + memberId + "/session"),
                        session)
                .get(10, TimeUnit.SECONDS);
        return session;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    List<String> received() {
        return List.copyOf(received);
    }

    CompletableFuture<Closed> closed() {
        return closed;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            received.add(partial.toString());
            partial.setLength(0);
        }
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closed.complete(new Closed(statusCode, reason));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        closed.completeExceptionally(error);
    }

    @Override
    public void close() {
        socket.abort();
    }
}
