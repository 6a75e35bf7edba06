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
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The rank server's API as its members call it, over keep-alive connections of the benchmark's own lean
 * HTTP/1.1 client ({@link HttpConnections}), shared by all threads.
 */
final class RankApi implements AutoCloseable {

    private final HttpConnections http;
    private final String authorization;
    private final JsonMapper json = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    RankApi(URI base, String clusterToken) {
        this.http = new HttpConnections(base.getHost(), base.getPort());
        this.authorization = "Bearer " + clusterToken;
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
        return json.readValue(expect(201, "POST", "/api/v1/members", body, "Content-Type", "application/json",
                "Authorization", authorization), Registration.class);
    }

    LeaseRenewal renew(Registration member) {
        return json.readValue(expect(200, "PUT", "/api/v1/members/" + member.id() + "/lease", null,
                RankHeaders.LEASE_TOKEN, member.leaseToken()), LeaseRenewal.class);
    }

    void leave(Registration member) {
        expect(204, "DELETE", "/api/v1/members/" + member.id(), null, RankHeaders.LEASE_TOKEN, member.leaseToken());
    }

    /** Sends a command to every rank below the sender and waits for the server's report. */
    CommandReport command(Registration sender, String command) {
        return json.readValue(expect(200, "POST", "/api/v1/commands",
                "{\"senderId\":\"%s\",\"command\":\"%s\"}".formatted(sender.id(), command),
                "Content-Type", "application/json", RankHeaders.LEASE_TOKEN, sender.leaseToken()), CommandReport.class);
    }

    MemberDetails member(String id) {
        return json.readValue(expect(200, "GET", "/api/v1/members/" + id, null), MemberDetails.class);
    }

    Ranking ranking() {
        return json.readValue(expect(200, "GET", "/api/v1/members", null), Ranking.class);
    }

    boolean isUp() {
        try {
            return http.exchange(HttpConnection.request("GET", http.host(), "/actuator/health", null)).status() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    private byte[] expect(int status, String method, String path, String body, String... headers) {
        byte[] request = HttpConnection.request(method, http.host(), path,
                body == null ? null : body.getBytes(StandardCharsets.UTF_8), headers);
        HttpConnection.Response response;
        try {
            response = http.exchange(request);
        } catch (IOException e) {
            throw new UncheckedIOException("%s %s failed".formatted(method, path), e);
        }
        if (response.status() != status) {
            throw new IllegalStateException("%s %s answered %d, expected %d: %s".formatted(method, path,
                    response.status(), status, new String(response.body(), StandardCharsets.UTF_8)));
        }
        return response.body();
    }

    @Override
    public void close() {
        http.close();
    }
}
