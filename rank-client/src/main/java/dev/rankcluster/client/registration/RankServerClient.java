package dev.rankcluster.client.registration;

import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.BufferingClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The rank server's API as this client calls it; every failure becomes a {@link RankServerException}.
 * <p>
 * With several server URLs (servers sharing one store) a call that cannot reach the current server goes to the
 * next, in order, and the one that answered becomes current: registration, heartbeats and commands carry on there
 * with the same registration. Answers (a lost lease, a full cluster, a rate limit) are the same from every server,
 * so only an unreachable server, or one that failed with a 5xx other than 503, makes the call move on.
 */
@Component
public class RankServerClient {

    private static final Logger log = LoggerFactory.getLogger(RankServerClient.class);

    private final List<Server> servers;
    private final AtomicInteger current = new AtomicInteger();
    private final Optional<String> clusterToken;

    public RankServerClient(RestClient.Builder builder, RankClientProperties properties, ClusterProperties cluster) {
        this.servers = properties.serverUrl().stream().map(url -> new Server(url,
                restClient(builder.clone(), url, properties.requestTimeout()),
                restClient(builder.clone(), url, properties.unregisterTimeout()))).toList();
        this.clusterToken = cluster.tokenIfSet();
        if (clusterToken.isEmpty()) {
            log.warn("rank.cluster.token is not set: this client registers without a token, as an open cluster allows");
        }
    }

    /** The server the next call goes to first. */
    public URI currentUrl() {
        return servers.get(current.get()).url();
    }

    public Registration register(RegistrationRequest request) {
        return call(server -> server.rest().post()
                .uri("/api/v1/members")
                .headers(headers -> clusterToken.ifPresent(headers::setBearerAuth))
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(Registration.class));
    }

    public LeaseRenewal renew(String memberId, String leaseToken) {
        return call(server -> server.rest().put()
                .uri("/api/v1/members/{id}/lease", memberId)
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .retrieve()
                .body(LeaseRenewal.class));
    }

    public void unregister(String memberId, String leaseToken) {
        call(server -> server.unregisterRest().delete()
                .uri("/api/v1/members/{id}", memberId)
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .retrieve()
                .toBodilessEntity());
    }

    public CommandReport send(CommandRequest request, String leaseToken) {
        return call(server -> server.rest().post()
                .uri("/api/v1/commands")
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(CommandReport.class));
    }

    private <T> T call(Function<Server, T> exchange) {
        int first = current.get();
        RankServerException.Unavailable failure = null;
        for (int i = 0; i < servers.size(); i++) {
            Server server = servers.get((first + i) % servers.size());
            try {
                T answer = callOne(() -> exchange.apply(server));
                answeredAfter(first, i, failure);
                return answer;
            } catch (RankServerException.Unavailable unreachable) {
                failure = unreachable;
            } catch (RankServerException answeredWithProblem) {
                answeredAfter(first, i, failure);
                throw answeredWithProblem;
            }
        }
        throw failure;
    }

    /** The server {@code skipped} places after the current one answered: it becomes current. */
    private void answeredAfter(int first, int skipped, RankServerException failure) {
        int answered = (first + skipped) % servers.size();
        if (skipped > 0 && current.compareAndSet(first, answered)) {
            log.warn("Failed over to the rank server at {}: {} did not answer ({})", servers.get(answered).url(),
                    servers.get(first).url(), failure.getMessage());
        }
    }

    private static <T> T callOne(Supplier<T> exchange) {
        try {
            T answer = exchange.get();
            if (answer == null) {
                throw new RankServerException.Unavailable("server answered without a body", null);
            }
            return answer;
        } catch (RestClientException e) {
            // I/O errors, timeouts and unreadable answers: the server may be down, paused or restarting.
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new RankServerException.Unavailable("server unreachable: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : " " + cause.getMessage()), e);
        }
    }

    private static RestClient restClient(RestClient.Builder builder, URI serverUrl, Duration timeout) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        var requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(timeout);
        return builder
                .baseUrl(serverUrl.toString())
                // Buffered, so that bodies go out with a Content-Length rather than chunked.
                .requestFactory(new BufferingClientHttpRequestFactory(requestFactory))
                .defaultStatusHandler(HttpStatusCode::isError, (request, response) -> {
                    throw toException(response);
                })
                .build();
    }

    private static RankServerException toException(ClientHttpResponse response) throws java.io.IOException {
        int status = response.getStatusCode().value();
        return switch (status) {
            case 403, 404 -> new RankServerException.LeaseLost(status);
            case 429, 503 -> new RankServerException.Busy(status, retryAfter(response.getHeaders()));
            default -> status >= 500
                    ? new RankServerException.Unavailable("server answered " + status, null)
                    : new RankServerException.Refused(status);
        };
    }

    private record Server(URI url, RestClient rest, RestClient unregisterRest) {
    }

    /** {@code Retry-After} in seconds; the HTTP-date form is not used by the rank server. */
    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || !value.strip().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value.strip()));
    }
}
