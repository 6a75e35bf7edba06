package dev.rankcluster.server.session;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A member's session as the tests play it, on the JDK's WebSocket client: frames in, frames out, the close. */
final class TestSession implements WebSocket.Listener, AutoCloseable {

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    record Closed(int code, String reason) {
    }

    /** One client for every session: each JDK client has threads of its own. */
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final StringBuilder partial = new StringBuilder();
    private WebSocket socket;
    private volatile boolean acknowledgeAll;

    static TestSession open(int serverPort, String memberId, String leaseToken) throws Exception {
        var session = new TestSession();
        var builder = CLIENT.newWebSocketBuilder();
        if (leaseToken != null) {
            builder.header("X-Lease-Token", leaseToken);
        }
        session.socket = builder.buildAsync(URI.create("ws://127.0.0.1:%d/api/v1/members/%s/session"
                .formatted(serverPort, memberId)), session).get(5, TimeUnit.SECONDS);
        return session;
    }

    /** From now on, answers every delivery as executed, as a member would. */
    TestSession acknowledgingAll() {
        acknowledgeAll = true;
        return this;
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** The next frame from the server, or null if none comes within five seconds. */
    String next() throws InterruptedException {
        return frames.poll(5, TimeUnit.SECONDS);
    }

    String poll(long millis) throws InterruptedException {
        return frames.poll(millis, TimeUnit.MILLISECONDS);
    }

    Closed awaitClosed() throws Exception {
        return closed.get(5, TimeUnit.SECONDS);
    }

    /** Drops the connection without a close frame, as a killed process does. */
    void abort() {
        socket.abort();
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        webSocket.request(Long.MAX_VALUE);
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            String frame = partial.toString();
            partial.setLength(0);
            if (acknowledgeAll && frame.contains("\"type\":\"delivery\"")) {
                var body = JSON.readTree(JSON.readTree(frame).path("body").asString());
                return webSocket.sendText("{\"type\":\"ack\",\"commandId\":\"%s\",\"status\":204}"
                        .formatted(body.path("commandId").asString()), true);
            }
            frames.add(frame);
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
