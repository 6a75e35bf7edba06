package dev.rankcluster.server.command;

import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.system.ClusterProperties;
import dev.rankcluster.server.system.RankServerProperties;
import jakarta.annotation.PreDestroy;
import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts deliveries to members ({@code POST http://<address>/api/v1/commands}), each on its own virtual
 * thread over a kept-alive connection to that member ({@link MemberConnections}). Each delivery is bounded
 * by {@code rank.server.delivery-timeout} from start to answer; with a cluster token it is signed over the
 * exact bytes sent.
 */
@Component
class DeliveryClient {

    static final String PATH = "/api/v1/commands";

    private final JsonMapper json;
    private final Duration timeout;
    /** The reasons of the two timeouts, formatted once rather than for every delivery. */
    private final String timedOut;
    private final String connectTimedOut;
    private final DeliverySignature signature;
    private final Clock clock;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final MemberConnections connections = new MemberConnections();

    DeliveryClient(RankServerProperties properties, ClusterProperties cluster, JsonMapper json, Clock clock) {
        this.timeout = properties.deliveryTimeout();
        this.timedOut = "timed out after %d ms".formatted(timeout.toMillis());
        this.connectTimedOut = "connect timed out after %d ms".formatted(timeout.toMillis());
        this.json = json;
        this.clock = clock;
        this.signature = cluster.clusterToken().map(DeliverySignature::new).orElse(null);
    }

    CompletableFuture<DeliveryResult> deliver(RankedMember target, Delivery delivery) {
        InetSocketAddress address;
        try {
            address = socketAddress(target.address());
        } catch (IllegalArgumentException | URISyntaxException badAddress) {
            return CompletableFuture.completedFuture(DeliveryResult.failed(target, "not a valid address"));
        }
        byte[] request = request(target.address(), json.writeValueAsBytes(delivery));
        long deadline = System.nanoTime() + timeout.toNanos();
        return CompletableFuture.supplyAsync(() -> exchange(target, address, request, deadline), executor)
                .completeOnTimeout(DeliveryResult.failed(target, timedOut), timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    private DeliveryResult exchange(RankedMember target, InetSocketAddress address, byte[] request, long deadline) {
        MemberConnection reused = connections.borrow(target.address());
        if (reused != null) {
            try {
                return answered(target, reused, reused.exchange(request, deadline));
            } catch (EOFException | SocketException closedWhileIdle) {
                // The member closed the idle connection as the request left: send it once more on a new one.
                // A member executes each commandId once, so a delivery that did arrive is not executed twice.
                reused.close();
            } catch (IOException e) {
                reused.close();
                return DeliveryResult.failed(target, reason(e));
            }
        }
        MemberConnection fresh;
        try {
            // Resolved here, on the delivery's own thread: a slow name lookup holds up no other delivery.
            fresh = new MemberConnection(new InetSocketAddress(address.getHostString(), address.getPort()), deadline);
        } catch (SocketTimeoutException e) {
            return DeliveryResult.failed(target, connectTimedOut);
        } catch (IOException e) {
            return DeliveryResult.failed(target, reason(e));
        }
        try {
            return answered(target, fresh, fresh.exchange(request, deadline));
        } catch (IOException e) {
            fresh.close();
            return DeliveryResult.failed(target, reason(e));
        }
    }

    private DeliveryResult answered(RankedMember target, MemberConnection connection, int status) {
        connections.giveBack(target.address(), connection);
        return status >= 200 && status < 300 ? DeliveryResult.delivered(target) : DeliveryResult.failed(target, "HTTP " + status);
    }

    private byte[] request(String address, byte[] body) {
        StringBuilder head = new StringBuilder(256)
                .append("POST ").append(PATH).append(" HTTP/1.1\r\n")
                .append("Host: ").append(address).append("\r\n")
                .append("Content-Type: ").append(MediaType.APPLICATION_JSON_VALUE).append("\r\n")
                .append("Content-Length: ").append(body.length).append("\r\n");
        if (signature != null) {
            long timestamp = clock.millis();
            head.append(RankHeaders.TIMESTAMP).append(": ").append(timestamp).append("\r\n")
                    .append(RankHeaders.SIGNATURE).append(": ").append(signature.sign(timestamp, body)).append("\r\n");
        }
        byte[] headBytes = head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII);
        byte[] request = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, request, 0, headBytes.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    /** {@code ip:port}, {@code [v6]:port} or {@code host:port}, as the membership records addresses. */
    private static InetSocketAddress socketAddress(String address) throws URISyntaxException {
        URI uri = new URI("http://" + address);
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535) {
            throw new IllegalArgumentException("not host:port");
        }
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return InetSocketAddress.createUnresolved(host, uri.getPort());
    }

    private String reason(IOException failure) {
        if (failure instanceof SocketTimeoutException) {
            return timedOut;
        }
        if (failure instanceof ConnectException) {
            return "connection refused";
        }
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : "I/O error: " + message;
    }

    @PreDestroy
    void close() {
        executor.shutdownNow();
        connections.close();
    }
}
