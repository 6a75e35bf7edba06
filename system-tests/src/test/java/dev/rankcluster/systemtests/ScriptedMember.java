package dev.rankcluster.systemtests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

import dev.rankcluster.model.CommandReport;
import dev.rankcluster.model.Registration;

/**
 * A member the test itself plays over the server's REST API, as someone with {@code curl} would: it registers a
 * port nothing listens on, keeps its lease, sends commands and reads their reports, and unregisters when closed.
 */
final class ScriptedMember implements AutoCloseable {

    private final RankServer server;
    private final Registration registration;
    private final Thread heartbeat;

    private ScriptedMember(RankServer server, Registration registration) {
        this.server = server;
        this.registration = registration;
        this.heartbeat = Thread.ofVirtual().name("scripted-member-heartbeat").start(this::renewUntilClosed);
    }

    /** Renews the lease about three times per TTL, as a client does, until the member is closed. */
    private void renewUntilClosed() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(registration.leaseTtlMs() / 3);
                renew();
            }
        } catch (InterruptedException closed) {
            // the test is done with this member
        } catch (RuntimeException | AssertionError lost) {
            // the test's own assertions say what went wrong
        }
    }

    static ScriptedMember register(RankServer server, String clusterToken, int port) {
        var answer = send(server, HttpRequest.newBuilder(server.uri("/api/v1/members"))
                .header("Authorization", "Bearer " + clusterToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"port\": " + port + "}")), 201);
        return new ScriptedMember(server, server.http().mapper().readValue(answer, Registration.class));
    }

    String id() {
        return registration.id();
    }

    String leaseToken() {
        return registration.leaseToken();
    }

    void renew() {
        send(server, HttpRequest.newBuilder(server.uri("/api/v1/members/" + id() + "/lease"))
                .header("X-Lease-Token", registration.leaseToken()).PUT(HttpRequest.BodyPublishers.noBody()), 200);
    }

    CommandReport command(String command) {
        var answer = send(server, HttpRequest.newBuilder(server.uri("/api/v1/commands"))
                .header("X-Lease-Token", registration.leaseToken()).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"senderId\": \"%s\", \"command\": \"%s\"}".formatted(id(), command))), 200);
        return server.http().mapper().readValue(answer, CommandReport.class);
    }

    @Override
    public void close() {
        heartbeat.interrupt();
        send(server, HttpRequest.newBuilder(server.uri("/api/v1/members/" + id()))
                .header("X-Lease-Token", registration.leaseToken()).DELETE(), 204);
    }

    private static String send(RankServer server, HttpRequest.Builder request, int expectedStatus) {
        try {
            HttpResponse<String> response = server.http().client().send(
                    request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
            if (response.statusCode() != expectedStatus) {
                throw new AssertionError("%s answered %d, not %d: %s".formatted(request.build().uri(),
                        response.statusCode(), expectedStatus, response.body()));
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
