package dev.rankcluster.server.command;

import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.membership.DeliveryTarget;
import dev.rankcluster.server.system.RankServerProperties;
import jakarta.annotation.PreDestroy;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.DefaultHttpRequestRetryStrategy;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * Posts deliveries to members ({@code POST http://<address>/api/v1/commands}) with Apache HttpClient on virtual
 * threads, over a pool of kept-alive connections. Each delivery is signed for its one receiver and bounded by
 * {@code rank.server.delivery-timeout} from start to answer, whatever the member does: at the deadline its report
 * says {@code timed out} and its connection is closed. At most {@code rank.server.max-concurrent-deliveries} are
 * in flight; the others wait their turn within their own deadline.
 */
@Component
class DeliveryClient implements AutoCloseable {

    static final String PATH = "/api/v1/commands";
    /** A member's problem answer is small; more than this is not read for its type. */
    private static final int MAX_ANSWER_READ = 4096;
    private static final ContentType JSON_CONTENT = ContentType.create("application/json");
    private static final Pattern PROBLEM_TYPE = Pattern.compile("\"type\"\\s*:\\s*\"[^\"]*/problems/([a-z-]{1,40})\"");

    private final JsonMapper json;
    private final Clock clock;
    private final Duration timeout;
    /** The reasons of the two timeouts, formatted once rather than for every delivery. */
    private final String timedOut;
    private final String connectTimedOut;
    private final Semaphore inFlight;
    private final CloseableHttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final ScheduledExecutorService deadlines = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("delivery-deadlines").daemon().factory());

    DeliveryClient(RankServerProperties properties, JsonMapper json, Clock clock) {
        this.json = json;
        this.clock = clock;
        this.timeout = properties.deliveryTimeout();
        this.timedOut = "timed out after %d ms".formatted(timeout.toMillis());
        this.connectTimedOut = "connect timed out after %d ms".formatted(timeout.toMillis());
        int maxInFlight = properties.maxConcurrentDeliveries();
        this.inFlight = new Semaphore(maxInFlight);
        this.http = httpClient(maxInFlight, timeout);
    }

    private static CloseableHttpClient httpClient(int maxConnections, Duration timeout) {
        Timeout bound = Timeout.of(timeout);
        return HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                        .setMaxConnTotal(maxConnections)
                        .setMaxConnPerRoute(maxConnections)
                        .setDefaultConnectionConfig(ConnectionConfig.custom()
                                .setConnectTimeout(bound)
                                .setSocketTimeout(bound)
                                // A connection idle for a while is checked before reuse: members close idle ones.
                                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                                .build())
                        .build())
                .setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(bound)
                        .setConnectionRequestTimeout(bound).build())
                .setRetryStrategy(new ResendOnClosedConnection())
                .evictIdleConnections(TimeValue.ofSeconds(20))
                .disableRedirectHandling()
                .disableCookieManagement()
                .disableAuthCaching()
                .disableContentCompression()
                .disableConnectionState()
                .build();
    }

    CompletableFuture<DeliveryResult> deliver(DeliveryTarget target, Delivery delivery) {
        RankedMember member = target.member();
        URI uri;
        try {
            uri = uriOf(member.address());
        } catch (IllegalArgumentException | URISyntaxException badAddress) {
            return CompletableFuture.completedFuture(DeliveryResult.failed(member, "not a valid address", Transport.HTTP));
        }
        byte[] body = json.writeValueAsBytes(delivery);
        long timestamp = clock.millis();
        HttpPost post = new HttpPost(uri);
        post.setHeader(RankHeaders.TIMESTAMP, Long.toString(timestamp));
        post.setHeader(RankHeaders.SIGNATURE, DeliverySignature.withKey(target.deliveryKey()).sign(timestamp, body));
        post.setEntity(new ByteArrayEntity(body, JSON_CONTENT));
        long deadline = System.nanoTime() + timeout.toNanos();
        return CompletableFuture.supplyAsync(() -> exchange(member, post, deadline), executor)
                .completeOnTimeout(DeliveryResult.failed(member, timedOut, Transport.HTTP), timeout.toMillis(),
                        TimeUnit.MILLISECONDS);
    }

    private DeliveryResult exchange(RankedMember member, HttpPost post, long deadline) {
        // At the deadline the request is cancelled, which closes its connection: a member that drips its answer
        // byte by byte, or never answers, holds neither a socket nor this thread past the deadline.
        ScheduledFuture<?> cancel = deadlines.schedule(post::cancel, deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
        try {
            if (!inFlight.tryAcquire(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
                return failed(member, timedOut);
            }
            try {
                return http.execute(post, response -> answered(member, response));
            } finally {
                inFlight.release();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(member, timedOut);
        } catch (IOException e) {
            return failed(member, post.isCancelled() ? timedOut : reason(e));
        } catch (IllegalStateException e) {
            // Cancelled at the deadline between taking a pooled connection and using it: HttpClient says so this way.
            return failed(member, post.isCancelled() ? timedOut : "failed: " + e.getMessage());
        } finally {
            cancel.cancel(false);
        }
    }

    private static DeliveryResult answered(RankedMember member, ClassicHttpResponse response) throws IOException {
        int status = response.getCode();
        if (status >= 200 && status < 300) {
            EntityUtils.consume(response.getEntity());
            return DeliveryResult.delivered(member, Transport.HTTP);
        }
        String problem = problemName(response.getEntity());
        return failed(member, DeliveryResult.refusal(status, problem));
    }

    private static DeliveryResult failed(RankedMember member, String reason) {
        return DeliveryResult.failed(member, reason, Transport.HTTP);
    }

    /** The problem type a member answered with ({@code delivery-expired}, {@code invalid-signature}...), if any. */
    private static String problemName(HttpEntity entity) throws IOException {
        if (entity == null) {
            return null;
        }
        try (InputStream in = entity.getContent()) {
            byte[] head = in.readNBytes(MAX_ANSWER_READ);
            Matcher type = PROBLEM_TYPE.matcher(new String(head, StandardCharsets.UTF_8));
            return type.find() ? type.group(1) : null;
        }
    }

    /** {@code ip:port}, {@code [v6]:port} or {@code host:port}, as the membership records addresses. */
    private static URI uriOf(String address) throws URISyntaxException {
        URI uri = new URI("http://" + address + PATH);
        if (uri.getHost() == null || uri.getPort() < 1 || uri.getPort() > 65535 || uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("not host:port");
        }
        return uri;
    }

    private String reason(IOException failure) {
        if (failure instanceof ConnectTimeoutException) {
            return connectTimedOut;
        }
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
    @Override
    public void close() {
        executor.shutdownNow();
        deadlines.shutdownNow();
        http.close(CloseMode.IMMEDIATE);
    }

    /**
     * Sends a delivery once more when a kept-alive connection turns out to be closed before any answer came (the
     * member closed it as the request left). POST is not idempotent in general, but a member executes each
     * {@code commandId} at most once, so a delivery that did arrive is not executed twice. Timeouts and refused
     * connections are not retried.
     */
    private static final class ResendOnClosedConnection extends DefaultHttpRequestRetryStrategy {

        ResendOnClosedConnection() {
            // No status is retried (a member's 503 means "not executed", and the report says so).
            super(1, TimeValue.ZERO_MILLISECONDS, List.of(InterruptedIOException.class, UnknownHostException.class,
                    ConnectException.class, ConnectionClosedException.class, NoRouteToHostException.class), List.of());
        }

        @Override
        protected boolean handleAsIdempotent(HttpRequest request) {
            return true;
        }
    }
}
