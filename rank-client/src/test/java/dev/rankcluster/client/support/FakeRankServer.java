package dev.rankcluster.client.support;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small rank server speaking the contract over real HTTP on loopback: dense ranks by join order, lease tokens,
 * lease expiry, command reports. Tests script failures ({@link #failNext}), hangs, lost leases and promotions,
 * and read every request it received.
 */
public final class FakeRankServer implements AutoCloseable {

    /** One request as received; header names are lower case. */
    public record Request(String method, String path, Map<String, List<String>> headers, String body,
                          long receivedAtNanos) {
        public Optional<String> header(String name) {
            return Optional.ofNullable(headers.get(name.toLowerCase())).map(List::getFirst);
        }

        public JsonNode json() {
            return JSON.readTree(body);
        }
    }

    private record Canned(String method, String pathPrefix, int status, String retryAfter) {
    }

    private static final class Member {
        final String id = "m-" + UUID.randomUUID();
        final String address;
        final boolean expires;
        String leaseToken = UUID.randomUUID().toString();
        long renewedAtNanos = System.nanoTime();

        Member(String address, boolean expires) {
            this.address = address;
            this.expires = expires;
        }
    }

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Pattern LEASE = Pattern.compile("/api/v1/members/([^/]+)/lease");
    private static final Pattern MEMBER = Pattern.compile("/api/v1/members/([^/]+)");

    private final HttpServer http;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Canned> canned = new ConcurrentLinkedQueue<>();
    private final List<Member> members = new ArrayList<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile Duration leaseTtl = Duration.ofSeconds(10);
    private volatile String hangingMethod;
    private volatile boolean expiring;
    private volatile Canned failing;
    private long epoch;

    private FakeRankServer(int port) throws IOException {
        http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        http.setExecutor(executor);
        http.createContext("/", this::handle);
        http.start();
    }

    public static FakeRankServer start() {
        return start(0);
    }

    public static FakeRankServer start(int port) {
        try {
            return new FakeRankServer(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + http.getAddress().getPort());
    }

    /** The lease TTL told to clients; leases only expire after {@link #expireLeases(boolean)}. */
    public FakeRankServer leaseTtl(Duration ttl) {
        this.leaseTtl = ttl;
        return this;
    }

    /** Whether a member that was not renewed within the TTL is dropped, as the real server does. */
    public FakeRankServer expireLeases(boolean expire) {
        this.expiring = expire;
        return this;
    }

    /** The next {@code times} requests of {@code method} to a path starting with {@code pathPrefix} get {@code status}. */
    public void failNext(String method, String pathPrefix, int times, int status, String retryAfter) {
        for (int i = 0; i < times; i++) {
            canned.add(new Canned(method, pathPrefix, status, retryAfter));
        }
    }

    /** Every request of {@code method} to a path starting with {@code pathPrefix} gets {@code status}, until {@link #recover()}. */
    public void failAlways(String method, String pathPrefix, int status) {
        this.failing = new Canned(method, pathPrefix, status, null);
    }

    public void recover() {
        this.failing = null;
    }

    /** Requests of this method are held without an answer until the server closes. */
    public void hang(String method) {
        this.hangingMethod = method;
    }

    /** Adds a member ranked below the current ones; it never heartbeats, and its lease never expires. */
    public synchronized void addMember(String address) {
        members.add(new Member(address, false));
        epoch++;
    }

    /** Removes the member of that rank: everyone below is promoted. */
    public synchronized void removeRank(int rank) {
        members.remove(rank);
        epoch++;
    }

    /** Forgets every member, as a restarted server would. */
    public synchronized void forgetAll() {
        members.clear();
        epoch++;
    }

    /** Someone else registered every address again: the old lease tokens stop working. */
    public synchronized void reissueTokens() {
        members.forEach(member -> member.leaseToken = UUID.randomUUID().toString());
    }

    public synchronized int memberCount() {
        return members.size();
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public List<Request> requests(String method, String pathPrefix) {
        return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
    }

    public long count(String method, String pathPrefix) {
        return requests(method, pathPrefix).size();
    }

    @Override
    public void close() {
        released.countDown();
        http.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> headers = new java.util.HashMap<>();
            exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(), List.copyOf(values)));
            requests.add(new Request(method, path, Map.copyOf(headers), body, System.nanoTime()));
            if (method.equals(hangingMethod)) {
                released.await();
                return;
            }
            Canned failure = takeCanned(method, path);
            if (failure != null) {
                if (failure.retryAfter() != null) {
                    exchange.getResponseHeaders().add("Retry-After", failure.retryAfter());
                }
                respond(exchange, failure.status(), problem(failure.status()));
                return;
            }
            answer(exchange, method, path, body, headers);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Canned takeCanned(String method, String path) {
        Canned always = failing;
        if (always != null && always.method().equals(method) && path.startsWith(always.pathPrefix())) {
            return always;
        }
        for (Canned c : canned) {
            if (c.method().equals(method) && path.startsWith(c.pathPrefix()) && canned.remove(c)) {
                return c;
            }
        }
        return null;
    }

    private synchronized void answer(HttpExchange exchange, String method, String path, String body,
                                     Map<String, List<String>> headers) throws IOException {
        expireLeases();
        String leaseToken = headers.getOrDefault("x-lease-token", List.of("")).getFirst();
        Matcher lease = LEASE.matcher(path);
        Matcher member = MEMBER.matcher(path);
        if (method.equals("POST") && path.equals("/api/v1/members")) {
            String address = "127.0.0.1:" + JSON.readTree(body).get("port").asInt();
            Member existing = members.stream().filter(m -> m.address.equals(address)).findFirst().orElse(null);
            Member registered = existing == null ? new Member(address, true) : existing;
            if (existing == null) {
                members.add(registered);
                epoch++;
            } else {
                registered.leaseToken = UUID.randomUUID().toString();
                registered.renewedAtNanos = System.nanoTime();
            }
            respond(exchange, existing == null ? 201 : 200, """
                    {"id":"%s","address":"%s","rank":%d,"leaseToken":"%s","leaseTtlMs":%d,"epoch":%d}"""
                    .formatted(registered.id, address, members.indexOf(registered), registered.leaseToken,
                            leaseTtl.toMillis(), epoch));
        } else if (method.equals("PUT") && lease.matches()) {
            Member m = find(lease.group(1));
            if (m == null || !m.leaseToken.equals(leaseToken)) {
                // Like the rank server, says why a lease is gone: this fake remembers no departures.
                respond(exchange, m == null ? 404 : 403, m == null ? """
                        {"type":"https://rank-cluster.dev/problems/not-found","title":"Not found","status":404,\
                        "detail":"scripted","cause":"unknown"}""" : problem(403));
                return;
            }
            m.renewedAtNanos = System.nanoTime();
            respond(exchange, 200, """
                    {"rank":%d,"epoch":%d,"leaseTtlMs":%d}""".formatted(members.indexOf(m), epoch, leaseTtl.toMillis()));
        } else if (method.equals("DELETE") && member.matches()) {
            Member m = find(member.group(1));
            if (m == null || !m.leaseToken.equals(leaseToken)) {
                respond(exchange, m == null ? 404 : 403, problem(m == null ? 404 : 403));
                return;
            }
            members.remove(m);
            epoch++;
            respond(exchange, 204, null);
        } else if (method.equals("POST") && path.equals("/api/v1/commands")) {
            Member sender = find(JSON.readTree(body).get("senderId").asString());
            if (sender == null || !sender.leaseToken.equals(leaseToken)) {
                respond(exchange, sender == null ? 404 : 403, problem(sender == null ? 404 : 403));
                return;
            }
            int rank = members.indexOf(sender);
            int targets = members.size() - rank - 1;
            respond(exchange, 200, """
                    {"commandId":"c-%s","senderRank":%d,"epoch":%d,"targets":%d,"delivered":%d,"failed":[]}"""
                    .formatted(UUID.randomUUID(), rank, epoch, targets, targets));
        } else {
            respond(exchange, 404, problem(404));
        }
    }

    private Member find(String id) {
        return members.stream().filter(m -> m.id.equals(id)).findFirst().orElse(null);
    }

    private void expireLeases() {
        long now = System.nanoTime();
        if (expiring && members.removeIf(m -> m.expires && now - m.renewedAtNanos > leaseTtl.toNanos())) {
            epoch++;
        }
    }

    private static String problem(int status) {
        return """
                {"type":"https://rank-cluster.dev/problems/fake","title":"Fake","status":%d,"detail":"scripted"}"""
                .formatted(status);
    }

    private static void respond(HttpExchange exchange, int status, String json) throws IOException {
        if (json == null) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type",
                status >= 400 ? "application/problem+json" : "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }
}
