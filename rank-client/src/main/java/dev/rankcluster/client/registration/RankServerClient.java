package dev.rankcluster.client.registration;

import dev.rankcluster.client.system.ClusterProperties;
import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.CommandRequest;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.RegistrationRequest;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.client.BufferingClientHttpRequestFactory;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/** The rank server's API as this client calls it; every failure becomes a {@link RankServerException}. */
@Component
public class RankServerClient {

    private final RestClient rest;
    private final RestClient unregisterRest;
    private final Optional<String> clusterToken;

    public RankServerClient(RestClient.Builder builder, RankClientProperties properties, ClusterProperties cluster) {
        this.rest = restClient(builder.clone(), properties, properties.requestTimeout());
        this.unregisterRest = restClient(builder.clone(), properties, properties.unregisterTimeout());
        this.clusterToken = cluster.tokenIfSet();
    }

    public Registration register(RegistrationRequest request) {
        return call(() -> rest.post()
                .uri("/api/v1/members")
                .headers(headers -> clusterToken.ifPresent(headers::setBearerAuth))
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(Registration.class));
    }

    public LeaseRenewal renew(String memberId, String leaseToken) {
        return call(() -> rest.put()
                .uri("/api/v1/members/{id}/lease", memberId)
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .retrieve()
                .body(LeaseRenewal.class));
    }

    public void unregister(String memberId, String leaseToken) {
        call(() -> unregisterRest.delete()
                .uri("/api/v1/members/{id}", memberId)
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .retrieve()
                .toBodilessEntity());
    }

    public CommandReport send(CommandRequest request, String leaseToken) {
        return call(() -> rest.post()
                .uri("/api/v1/commands")
                .header(RankHeaders.LEASE_TOKEN, leaseToken)
                .contentType(MediaType.APPLICATION_JSON)
                .body(request)
                .retrieve()
                .body(CommandReport.class));
    }

    private static <T> T call(Supplier<T> exchange) {
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

    private static RestClient restClient(RestClient.Builder builder, RankClientProperties properties, Duration timeout) {
        HttpClient httpClient = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .build();
        var requestFactory = new JdkClientHttpRequestFactory(httpClient);
        requestFactory.setReadTimeout(timeout);
        return builder
                .baseUrl(properties.serverUrl().toString())
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

    /** {@code Retry-After} in seconds; the HTTP-date form is not used by the rank server. */
    private static Duration retryAfter(HttpHeaders headers) {
        String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
        if (value == null || !value.strip().matches("\\d{1,9}")) {
            return null;
        }
        return Duration.ofSeconds(Long.parseLong(value.strip()));
    }
}
