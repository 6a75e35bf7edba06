package dev.rankcluster.bench.load;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.MemberDetails;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Ranking;
import dev.rankcluster.model.Registration;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Executors;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** The rank server's API as its members call it, over one shared JDK {@link HttpClient} (HTTP/1.1, keep-alive). */
final class RankApi implements AutoCloseable {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final URI base;
    private final String clusterToken;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    RankApi(URI base, String clusterToken) {
        this.base = base;
        this.clusterToken = clusterToken;
    }

    /** Registers {@code 127.0.0.1:port} (the address the server sees). */
    Registration register(int port) {
        return register("{\"port\":%d}".formatted(port));
    }

    /** Registers {@code host:port}; the server honours the host only with {@code trust-advertised-host}. */
    Registration register(String host, int port) {
        return register("{\"port\":%d,\"host\":\"%s\"}".formatted(port, host));
    }

    private Registration register(String body) {
        HttpRequest request = request("/api/v1/members")
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + clusterToken)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return json.readValue(expect(request, 201), Registration.class);
    }

    LeaseRenewal renew(Registration member) {
        HttpRequest request = request("/api/v1/members/" + member.id() + "/lease")
                .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                .PUT(HttpRequest.BodyPublishers.noBody())
                .build();
        return json.readValue(expect(request, 200), LeaseRenewal.class);
    }

    void leave(Registration member) {
        HttpRequest request = request("/api/v1/members/" + member.id())
                .header(RankHeaders.LEASE_TOKEN, member.leaseToken())
                .DELETE()
                .build();
        expect(request, 204);
    }

    /** Sends a command to every rank below the sender and waits for the server's report. */
    CommandReport command(Registration sender, String command) {
        HttpRequest request = request("/api/v1/commands")
                .header("Content-Type", "application/json")
                .header(RankHeaders.LEASE_TOKEN, sender.leaseToken())
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"senderId\":\"%s\",\"command\":\"%s\"}".formatted(sender.id(), command)))
                .build();
        return json.readValue(expect(request, 200), CommandReport.class);
    }

    MemberDetails member(String id) {
        return json.readValue(expect(request("/api/v1/members/" + id).GET().build(), 200), MemberDetails.class);
    }

    Ranking ranking() {
        return json.readValue(expect(request("/api/v1/members").GET().build(), 200), Ranking.class);
    }

    boolean isUp() {
        try {
            return http.send(request("/actuator/health").GET().build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT);
    }

    private byte[] expect(HttpRequest request, int status) {
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("%s %s failed".formatted(request.method(), request.uri()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
        if (response.statusCode() != status) {
            throw new IllegalStateException("%s %s answered %d, expected %d: %s".formatted(request.method(),
                    request.uri(), response.statusCode(), status, new String(response.body())));
        }
        return response.body();
    }

    @Override
    public void close() {
        http.close();
    }
}
