package dev.rankcluster.client.session;

import dev.rankcluster.client.system.RankClientProperties;
import dev.rankcluster.model.LeaseRenewal;
import dev.rankcluster.model.RankHeaders;
import dev.rankcluster.model.Registration;
import dev.rankcluster.model.SessionProtocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * This client's session with the rank server: opened after each registration, it carries the lease renewals and
 * the deliveries. A session that cannot be opened, or keeps dropping, is given up until the next registration:
 * the lease is then renewed with HTTP heartbeats, and the log says why, once.
 */
@Component
public class MemberSessionClient {

    /** Sessions that end this young, this many times in a row, are given up. */
    static final int MAX_SHORT_SESSIONS = 3;

    private static final Logger log = LoggerFactory.getLogger(MemberSessionClient.class);

    private final boolean enabled;
    private final Duration timeout;
    private final DeliveryHandler deliveries;
    private final JsonMapper json;
    private final HttpClient http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private volatile SessionConnection current;
    private volatile boolean givenUp;
    private volatile boolean opening;
    private volatile int shortSessionsInARow;
    /** A session that ends within one lease TTL of opening counts as short. */
    private volatile Duration shortSession = Duration.ofSeconds(10);

    public MemberSessionClient(RankClientProperties properties, DeliveryHandler deliveries, JsonMapper json) {
        this.enabled = properties.sessionEnabled();
        this.timeout = properties.requestTimeout();
        this.deliveries = deliveries;
        this.json = json;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
    }

    /** Whether the lease is renewed on a session now, rather than with HTTP heartbeats. */
    public boolean isOpen() {
        SessionConnection session = current;
        return session != null && session.isOpen();
    }

    /** Whether a session is being opened right now. */
    public boolean isOpening() {
        return opening;
    }

    /** {@code open}, {@code opening}, {@code http} (given up or not yet open) or {@code off}, for health details. */
    public String describe() {
        if (!enabled) {
            return "off";
        }
        return isOpen() ? "open" : opening ? "opening" : "http";
    }

    /** Whether a session should be tried for this registration: on, and not given up. */
    public boolean shouldOpen() {
        return enabled && !givenUp && !isOpen();
    }

    /**
     * A new registration, before it is published: sessions get another chance, and one is about to be opened (so
     * that this client does not look ready before it is on its session or knows it cannot be).
     */
    public void registering() {
        givenUp = false;
        shortSessionsInARow = 0;
        opening = shouldOpen();
    }

    /**
     * Opens a session for the registration, waiting at most the request timeout. {@code renewed} hears every
     * renewal's answer; {@code dropped} is told when the session ends other than by {@link #close()}.
     *
     * @return whether it opened
     */
    public boolean open(Registration registration, URI serverUrl, Consumer<LeaseRenewal> renewed,
                        Consumer<String> dropped) {
        URI uri = sessionUri(serverUrl, registration.id());
        shortSession = Duration.ofMillis(registration.leaseTtlMs());
        SessionConnection session = new SessionConnection(uri, deliveries, new SessionConnection.Events() {
            @Override
            public void renewed(LeaseRenewal renewal) {
                renewed.accept(renewal);
            }

            @Override
            public void closed(SessionConnection connection, int code, String reason) {
                if (connection == current) {
                    dropped.accept(ended(connection, code, reason));
                }
            }
        }, json, executor);
        // Current before it opens: a session the server drops at once must still count as one that dropped.
        current = session;
        opening = true;
        try {
            http.newWebSocketBuilder()
                    .header(RankHeaders.LEASE_TOKEN, registration.leaseToken())
                    .connectTimeout(timeout)
                    .buildAsync(uri, session)
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException failure) {
            current = null;
            giveUp("Could not open a session with %s (%s)".formatted(serverUrl, why(failure)));
            return false;
        } catch (InterruptedException interrupted) {
            current = null;
            Thread.currentThread().interrupt();
            return false;
        } finally {
            opening = false;
        }
        log.info("Session opened with {}", serverUrl);
        return true;
    }

    public void renew() {
        SessionConnection session = current;
        if (session != null) {
            session.renew();
        }
    }

    /** Closes the session on shutdown; the server is told this client is leaving. */
    public void close() {
        SessionConnection session = current;
        current = null;
        if (session != null) {
            session.close();
        }
        executor.shutdown();
    }

    /** What the log and the caller learn of a session that ended; gives sessions up when they keep dropping. */
    private String ended(SessionConnection connection, int code, String reason) {
        current = null;
        String why = "%d%s".formatted(code, reason == null || reason.isBlank() ? "" : " " + reason);
        log.info("Session closed ({}), renewing the lease over HTTP until it reopens", why);
        if (code == SessionProtocol.INVALID_FRAME) {
            giveUp("The server refused this client's frames (" + why + ")");
        } else if (connection.ageNanos() >= shortSession.toNanos()) {
            shortSessionsInARow = 0;
        } else if (++shortSessionsInARow >= MAX_SHORT_SESSIONS) {
            giveUp("Sessions with %s keep dropping (%d in a row within a lease TTL, the last: %s)".formatted(
                    connection.server(), shortSessionsInARow, why));
        }
        return why;
    }

    private void giveUp(String why) {
        if (!givenUp) {
            givenUp = true;
            log.warn("{}: renewing the lease with HTTP heartbeats until this client registers again", why);
        }
    }

    private static String why(Exception failure) {
        Throwable cause = failure instanceof ExecutionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof WebSocketHandshakeException handshake) {
            return "the server answered the upgrade with HTTP " + handshake.getResponse().statusCode();
        }
        if (cause instanceof TimeoutException) {
            return "no answer within the request timeout";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** {@code http://host:port/base} → {@code ws://host:port/base/api/v1/members/<id>/session}. */
    static URI sessionUri(URI serverUrl, String memberId) {
        String base = serverUrl.toString().replaceFirst("/+$", "");
        String scheme = base.startsWith("https:") ? "wss" : "ws";
        return URI.create(scheme + base.substring(base.indexOf(':')) + SessionProtocol.path(memberId));
    }
}
