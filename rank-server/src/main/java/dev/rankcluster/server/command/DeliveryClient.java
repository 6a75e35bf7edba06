package dev.rankcluster.server.command;

import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.system.ClusterProperties;
import dev.rankcluster.server.system.RankServerProperties;
import jakarta.annotation.PreDestroy;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts deliveries to members ({@code POST http://<address>/api/v1/commands}) through one shared JDK
 * {@link HttpClient}, which keeps connections open between commands. Each delivery is bounded by
 * {@code rank.server.delivery-timeout} from start to answer; with a cluster token it is signed over the
 * exact bytes sent.
 */
@Component
class DeliveryClient {

    static final String PATH = "/api/v1/commands";

    private final HttpClient http;
    private final JsonMapper json;
    private final Duration timeout;
    private final DeliverySignature signature;
    private final Clock clock;

    DeliveryClient(RankServerProperties properties, ClusterProperties cluster, JsonMapper json, Clock clock) {
        this.timeout = properties.deliveryTimeout();
        this.json = json;
        this.clock = clock;
        this.signature = cluster.clusterToken().map(DeliverySignature::new).orElse(null);
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .executor(Executors.newVirtualThreadPerTaskExecutor())
                .build();
    }

    CompletableFuture<DeliveryResult> deliver(RankedMember target, Delivery delivery) {
        HttpRequest request;
        try {
            request = request(target, json.writeValueAsBytes(delivery));
        } catch (IllegalArgumentException badAddress) {
            return CompletableFuture.completedFuture(DeliveryResult.failed(target, "not a valid address"));
        }
        return http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> {
                    if (failure != null) {
                        return DeliveryResult.failed(target, reason(failure));
                    }
                    int status = response.statusCode();
                    return status >= 200 && status < 300 ? DeliveryResult.delivered(target)
                            : DeliveryResult.failed(target, "HTTP " + status);
                });
    }

    private HttpRequest request(RankedMember target, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://" + target.address() + PATH))
                .timeout(timeout)
                .header("Content-Type", MediaType.APPLICATION_JSON_VALUE)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            long timestamp = clock.millis();
            request.header(RankHeaders.TIMESTAMP, Long.toString(timestamp))
                    .header(RankHeaders.SIGNATURE, signature.sign(timestamp, body));
        }
        return request.build();
    }

    private String reason(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof HttpConnectTimeoutException) {
            return "connect timed out after %d ms".formatted(timeout.toMillis());
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return "timed out after %d ms".formatted(timeout.toMillis());
        }
        if (cause instanceof ConnectException) {
            return "connection refused";
        }
        String message = cause.getMessage();
        return message == null || message.isBlank() ? cause.getClass().getSimpleName() : "I/O error: " + message;
    }

    @PreDestroy
    void close() {
        http.shutdownNow();
    }
}
