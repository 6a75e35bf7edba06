package dev.rankcluster.server.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rankcluster.model.Delivery;
import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankedMember;
import dev.rankcluster.server.membership.DeliveryTarget;
import dev.rankcluster.server.system.RankServerProperties;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The delivery transport against members scripted at the socket level: how connections are kept, given
 * up and opened again, and what a delivery reports when a member answers badly or not at all.
 */
class DeliveryClientTests {

    static final String LEASE_TOKEN = "transport-test-lease-token";
    static final Duration TIMEOUT = Duration.ofMillis(500);

    final DeliveryClient client = client(100);
    final List<ScriptedMember> members = new ArrayList<>();

    @AfterEach
    void close() {
        client.close();
        members.forEach(ScriptedMember::close);
    }

    @Test
    void deliver_twiceToOneMember_oneKeptAliveConnection() {
        ScriptedMember member = member(Answer.NO_CONTENT);

        assertThat(deliver(member, "first").isDelivered()).isTrue();
        assertThat(deliver(member, "second").isDelivered()).isTrue();

        assertThat(member.connections()).isOne();
        assertThat(member.requests()).hasSize(2);
    }

    @Test
    void deliver_signedOverTheExactBodySent() {
        ScriptedMember member = member(Answer.NO_CONTENT);

        deliver(member, "signed");

        ScriptedMember.Request request = member.requests().getFirst();
        assertThat(DeliverySignature.forLeaseToken(LEASE_TOKEN).matches(Long.parseLong(request.header("X-Rank-Timestamp")),
                request.body().getBytes(StandardCharsets.UTF_8), request.header("X-Rank-Signature"))).isTrue();
        assertThat(request.header("Content-Type")).isEqualTo("application/json");
        assertThat(request.header("Host")).isEqualTo("127.0.0.1:" + member.port());
    }

    @Test
    void deliver_memberClosedTheIdleConnection_deliveredOnANewOne() {
        ScriptedMember member = member(Answer.NO_CONTENT_THEN_HANG_UP);

        assertThat(deliver(member, "first").isDelivered()).isTrue();
        assertThat(deliver(member, "second").isDelivered()).isTrue();

        assertThat(member.connections()).isEqualTo(2);
        assertThat(member.requests()).extracting(request -> request.body().contains("second")).containsExactly(false, true);
    }

    @Test
    void deliver_answerSaysConnectionClose_nextDeliveryOpensANewConnection() {
        ScriptedMember member = member(Answer.OK_AND_CLOSE);

        assertThat(deliver(member, "first").isDelivered()).isTrue();
        assertThat(deliver(member, "second").isDelivered()).isTrue();

        assertThat(member.connections()).isEqualTo(2);
    }

    @Test
    void deliver_chunkedAnswer_readToItsEndAndConnectionKept() {
        ScriptedMember member = member(Answer.CHUNKED_OK);

        assertThat(deliver(member, "first").isDelivered()).isTrue();
        assertThat(deliver(member, "second").isDelivered()).isTrue();

        assertThat(member.connections()).isOne();
    }

    @Test
    void deliver_memberAnswers503_failedWithTheStatus() {
        ScriptedMember member = member(Answer.UNAVAILABLE);

        DeliveryResult result = deliver(member, "busy");

        assertThat(result.reason()).isEqualTo("HTTP 503");
    }

    @Test
    void deliver_memberStopsInTheMiddleOfItsAnswer_timedOutWithinTheBound() {
        ScriptedMember member = member(Answer.STATUS_LINE_ONLY);

        long started = System.nanoTime();
        DeliveryResult result = deliver(member, "drip");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(result.reason()).isEqualTo("timed out after 500 ms");
        assertThat(took).isGreaterThanOrEqualTo(TIMEOUT).isLessThan(TIMEOUT.multipliedBy(4));
    }

    @Test
    void deliver_memberDripsItsAnswer_connectionClosedAtTheDeadline() {
        ScriptedMember member = member(Answer.DRIP);

        long started = System.nanoTime();
        DeliveryResult result = deliver(member, "drip");

        assertThat(result.reason()).isEqualTo("timed out after 500 ms");
        // Not only the report: the server lets go of the socket at the deadline, though the member keeps talking.
        Duration closedAfter = Duration.ofNanos(member.awaitClosedConnection() - started);
        assertThat(closedAfter).isGreaterThanOrEqualTo(TIMEOUT.minusMillis(50)).isLessThan(TIMEOUT.plusMillis(400));
    }

    @Test
    void deliver_memberAnswersAProblem_reportNamesItsType() {
        ScriptedMember member = member(Answer.EXPIRED_PROBLEM);

        DeliveryResult result = deliver(member, "late");

        assertThat(result.reason()).isEqualTo("HTTP 410 delivery-expired");
    }

    @Test
    void deliver_moreThanTheBoundAtOnce_neverMoreConnectionsInFlight() {
        try (DeliveryClient bounded = client(2)) {
            ScriptedMember member = member(Answer.HANG);

            List<CompletableFuture<DeliveryResult>> pending = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                pending.add(bounded.deliver(target("127.0.0.1:" + member.port()), delivery("bounded-" + i)));
            }

            assertThat(pending).allSatisfy(result -> assertThat(result.join().reason()).isEqualTo("timed out after 500 ms"));
            assertThat(member.peakOpenConnections()).isEqualTo(2);
        }
    }

    @Test
    void deliver_memberAnswersGarbage_failedAndNothingKept() {
        ScriptedMember member = member(Answer.GARBAGE);

        DeliveryResult first = deliver(member, "first");
        deliver(member, "second");

        assertThat(first.isDelivered()).isFalse();
        assertThat(first.reason()).startsWith("I/O error: ").endsWith("failed to respond");
        // Garbage reads like a connection closed before any answer: each delivery is sent once more, on a new
        // connection, and no connection that answered garbage is used again.
        assertThat(member.connections()).isEqualTo(4);
    }

    @Test
    void deliver_nobodyListens_connectionRefused() throws IOException {
        int port;
        try (ServerSocket closed = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = closed.getLocalPort();
        }

        DeliveryResult result = client.deliver(target("127.0.0.1:" + port), delivery("nobody")).join();

        assertThat(result.reason()).isEqualTo("connection refused");
    }

    @Test
    void deliver_addressIsNotHostAndPort_failedWithoutAConnection() {
        DeliveryResult result = client.deliver(target("no port here"), delivery("x")).join();

        assertThat(result.reason()).isEqualTo("not a valid address");
    }

    DeliveryResult deliver(ScriptedMember member, String command) {
        return client.deliver(target("127.0.0.1:" + member.port()), delivery(command)).join();
    }

    ScriptedMember member(Answer answer) {
        ScriptedMember member = new ScriptedMember(answer);
        members.add(member);
        return member;
    }

    static DeliveryClient client(int maxConcurrentDeliveries) {
        return new DeliveryClient(new RankServerProperties(100, Duration.ofSeconds(10), TIMEOUT, Duration.ofMillis(100),
                maxConcurrentDeliveries, 3, 5, false, null, RankServerProperties.Store.MEMORY, java.time.Duration.ofMillis(500)),
                JsonMapper.builder().build(), Clock.systemUTC());
    }

    static DeliveryTarget target(String address) {
        return new DeliveryTarget(new RankedMember(1, "target-id", address, Instant.EPOCH),
                DeliverySignature.deliveryKey(LEASE_TOKEN));
    }

    static Delivery delivery(String command) {
        Instant now = Instant.now();
        return new Delivery("command-" + command, command, "sender-id", "127.0.0.1:1", 0, "target-id", 1, 7L, now,
                now.plus(TIMEOUT));
    }

    /** How a scripted member answers each request on a connection. */
    enum Answer {
        NO_CONTENT("HTTP/1.1 204 No Content\r\n\r\n", false),
        NO_CONTENT_THEN_HANG_UP("HTTP/1.1 204 No Content\r\n\r\n", true),
        OK_AND_CLOSE("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok", true),
        CHUNKED_OK("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n", false),
        UNAVAILABLE("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n\r\nbusy", false),
        STATUS_LINE_ONLY("HTTP/1.1 200 OK\r\n", false),
        /** The status line, then one header byte every 100 ms for as long as the connection lasts. */
        DRIP("HTTP/1.1 200 OK\r\n", false),
        /** Reads the request and never answers. */
        HANG("", false),
        EXPIRED_PROBLEM("HTTP/1.1 410 Gone\r\nContent-Type: application/problem+json\r\nContent-Length: 74\r\n\r\n"
                + "{\"type\":\"https://rank-cluster.dev/problems/delivery-expired\",\"status\":410}", false),
        GARBAGE("SMTP ready\r\n\r\n", true);

        final String text;
        final boolean hangsUp;

        Answer(String text, boolean hangsUp) {
            this.text = text;
            this.hangsUp = hangsUp;
        }
    }

    /** A member on loopback that reads requests and answers them as scripted, counting its connections. */
    static final class ScriptedMember implements AutoCloseable {

        record Request(List<String> headers, String body) {
            String header(String name) {
                return headers.stream().filter(line -> line.regionMatches(true, 0, name + ":", 0, name.length() + 1))
                        .map(line -> line.substring(name.length() + 1).strip()).findFirst().orElse(null);
            }
        }

        private final ServerSocket server;
        private final Answer answer;
        private final AtomicInteger connections = new AtomicInteger();
        private final List<Request> requests = new CopyOnWriteArrayList<>();
        private final List<Socket> open = new CopyOnWriteArrayList<>();
        private final AtomicInteger openNow = new AtomicInteger();
        private final AtomicInteger peakOpen = new AtomicInteger();
        private final CompletableFuture<Long> firstClosedAt = new CompletableFuture<>();

        ScriptedMember(Answer answer) {
            this.answer = answer;
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        List<Request> requests() {
            return requests;
        }

        int peakOpenConnections() {
            return peakOpen.get();
        }

        /** {@link System#nanoTime()} when this member first found a connection closed by the other side. */
        long awaitClosedConnection() {
            return firstClosedAt.orTimeout(10, TimeUnit.SECONDS).join();
        }

        private void accept() {
            while (!server.isClosed()) {
                try {
                    Socket socket = server.accept();
                    connections.incrementAndGet();
                    open.add(socket);
                    Thread.ofVirtual().start(() -> serve(socket));
                } catch (IOException closed) {
                    return;
                }
            }
        }

        private void serve(Socket socket) {
            peakOpen.accumulateAndGet(openNow.incrementAndGet(), Math::max);
            try (socket; BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
                OutputStream out = socket.getOutputStream();
                for (Request request = read(in); request != null; request = read(in)) {
                    requests.add(request);
                    out.write(answer.text.getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    if (answer == Answer.DRIP) {
                        drip(out);
                    }
                    if (answer.hangsUp) {
                        return;
                    }
                }
                firstClosedAt.complete(System.nanoTime());
            } catch (IOException gone) {
                // the client closed the connection: this member is done with it
                firstClosedAt.complete(System.nanoTime());
            } finally {
                openNow.decrementAndGet();
            }
        }

        /** Writes a byte of a header every 100 ms until the write fails: the other side closed the connection. */
        private static void drip(OutputStream out) throws IOException {
            for (int i = 0; i < 600; i++) {
                out.write('X');
                out.flush();
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        /** One request, or null at the end of the connection; the bodies here are ASCII JSON. */
        private static Request read(BufferedReader in) throws IOException {
            List<String> headers = new ArrayList<>();
            String requestLine = in.readLine();
            if (requestLine == null) {
                return null;
            }
            int length = 0;
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                headers.add(line);
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).strip());
                }
            }
            char[] body = new char[length];
            for (int read = 0; read < length; ) {
                int n = in.read(body, read, length - read);
                if (n < 0) {
                    return null;
                }
                read += n;
            }
            return new Request(headers, new String(body));
        }

        @Override
        public void close() {
            try {
                server.close();
                for (Socket socket : open) {
                    socket.close();
                }
            } catch (IOException ignored) {
                // closing the test's own sockets
            }
        }
    }
}
