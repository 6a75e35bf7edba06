package dev.rankcluster.bench.load;

import dev.rankcluster.model.DeliverySignature;
import dev.rankcluster.model.RankHeaders;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.eclipse.jetty.client.BytesRequestContent;

/**
 * The candidate delivery transports side by side, outside the server, on the server's own pattern: a fan-out of
 * signed POSTs of a delivery-sized body to 999 members at once, over kept-alive connections, again and again. For
 * each: the median fan-out time and the CPU per delivery of the sending side (the process's CPU less the receivers'
 * thread). The JDK's {@code HttpClient} (asynchronous), Apache HttpClient 5 (classic, pooled, one virtual thread per
 * delivery: what the server uses) and Jetty 12's client (asynchronous).
 */
final class TransportScenario implements Scenario {

    private static final int MEMBERS = 999;
    private static final String LEASE_TOKEN = "transport-scenario-lease-token";
    private static final Duration WARM_UP = Duration.ofSeconds(20);
    private static final Duration MEASURE = Duration.ofSeconds(20);

    /** One candidate: posts {@code body} to {@code uri}, signed, and completes with the status. */
    private interface Transport extends AutoCloseable {
        CompletableFuture<Integer> post(URI uri, byte[] body, long timestamp, String signature);

        @Override
        void close() throws Exception;
    }

    @Override
    public String name() {
        return "transport";
    }

    @Override
    public void run(BenchSettings settings, Results results) {
        try (Receivers receivers = new Receivers()) {
            List<URI> members = new ArrayList<>(MEMBERS);
            for (int i = 0; i < MEMBERS; i++) {
                int port = receivers.open();
                receivers.signedFor(port, LEASE_TOKEN);
                members.add(URI.create("http://127.0.0.1:" + port + "/api/v1/commands"));
            }
            measure("jdk", "JDK HttpClient (async)", jdk(), members, receivers, settings, results);
            measure("apache", "Apache HttpClient 5 (classic, virtual threads)", apache(), members, receivers, settings, results);
            measure("jetty", "Jetty 12 client (async)", jetty(), members, receivers, settings, results);
        } catch (Exception e) {
            throw new IllegalStateException("the transport scenario failed", e);
        }
    }

    private static void measure(String key, String label, Transport transport, List<URI> members, Receivers receivers,
                                BenchSettings settings, Results results) throws Exception {
        try (transport) {
            DeliverySignature signature = DeliverySignature.forLeaseToken(LEASE_TOKEN);
            fanOutsFor(settings.measure(WARM_UP), transport, members, signature);
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            long receiversCpu = threads.getThreadCpuTime(receivers.threadId());
            long processCpu = processCpuNanos();
            long refusedBefore = receivers.refused();
            List<Long> took = fanOutsFor(settings.measure(MEASURE), transport, members, signature);
            long senderCpu = processCpuNanos() - processCpu - (threads.getThreadCpuTime(receivers.threadId()) - receiversCpu);
            if (receivers.refused() != refusedBefore) {
                throw new IllegalStateException(label + ": deliveries refused by the receivers");
            }
            took.sort(null);
            double medianMs = took.get(took.size() / 2) / 1e6;
            double cpuMicros = senderCpu / 1e3 / ((double) took.size() * members.size());
            results.add("transport." + key + ".fanout999", "ms", label + ": fan-out to 999, median", medianMs);
            results.add("transport." + key + ".cpuPerDelivery", "µs", label + ": sender CPU per delivery", cpuMicros);
            System.out.printf("  %s: fan-out to 999 %.1f ms median over %d, %.1f µs CPU per delivery%n", label, medianMs,
                    took.size(), cpuMicros);
        }
    }

    private static List<Long> fanOutsFor(Duration duration, Transport transport, List<URI> members,
                                         DeliverySignature signature) {
        List<Long> took = new ArrayList<>();
        long end = System.nanoTime() + duration.toNanos();
        int round = 0;
        while (System.nanoTime() < end) {
            long started = System.nanoTime();
            List<CompletableFuture<Integer>> pending = new ArrayList<>(members.size());
            for (int i = 0; i < members.size(); i++) {
                byte[] body = delivery("c-" + round + "-" + i, i).getBytes(StandardCharsets.UTF_8);
                long timestamp = System.currentTimeMillis();
                pending.add(transport.post(members.get(i), body, timestamp, signature.sign(timestamp, body)));
            }
            for (CompletableFuture<Integer> answer : pending) {
                int status = answer.join();
                if (status != 204) {
                    throw new IllegalStateException("a receiver answered " + status);
                }
            }
            took.add(System.nanoTime() - started);
            round++;
        }
        return took;
    }

    private static String delivery(String commandId, int receiver) {
        return """
                {"commandId":"%s","command":"flush-cache","senderId":"8c0f1a52-9a7e-4f39-b3f5-0f6c2d1e7a40",\
                "senderAddress":"127.0.0.1:40000","senderRank":0,"receiverId":"member-%d","receiverRank":%d,\
                "epoch":1000,"issuedAt":"2026-12-02T09:00:00Z","expiresAt":"2026-12-02T09:00:01.500Z"}"""
                .formatted(commandId, receiver, receiver + 1);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private static Transport jdk() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
        return new Transport() {
            @Override
            public CompletableFuture<Integer> post(URI uri, byte[] body, long timestamp, String signature) {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2))
                        .header("Content-Type", "application/json").header(RankHeaders.TIMESTAMP, Long.toString(timestamp))
                        .header(RankHeaders.SIGNATURE, signature).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
                return client.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenApply(HttpResponse::statusCode);
            }

            @Override
            public void close() {
                client.close();
            }
        };
    }

    private static Transport apache() {
        CloseableHttpClient client = HttpClients.custom()
                .setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX).setMaxConnTotal(1024).setMaxConnPerRoute(1024)
                        .build())
                .disableRedirectHandling().disableCookieManagement().disableAuthCaching().disableContentCompression()
                .disableConnectionState().build();
        ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        ContentType json = ContentType.create("application/json");
        return new Transport() {
            @Override
            public CompletableFuture<Integer> post(URI uri, byte[] body, long timestamp, String signature) {
                return CompletableFuture.supplyAsync(() -> {
                    HttpPost post = new HttpPost(uri);
                    post.setHeader(RankHeaders.TIMESTAMP, Long.toString(timestamp));
                    post.setHeader(RankHeaders.SIGNATURE, signature);
                    post.setEntity(new ByteArrayEntity(body, json));
                    try {
                        return client.execute(post, response -> {
                            EntityUtils.consume(response.getEntity());
                            return response.getCode();
                        });
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }, threads);
            }

            @Override
            public void close() throws Exception {
                threads.shutdownNow();
                threads.awaitTermination(5, TimeUnit.SECONDS);
                client.close();
            }
        };
    }

    private static Transport jetty() throws Exception {
        org.eclipse.jetty.client.HttpClient client = new org.eclipse.jetty.client.HttpClient();
        client.setMaxConnectionsPerDestination(64);
        client.setFollowRedirects(false);
        client.start();
        return new Transport() {
            @Override
            public CompletableFuture<Integer> post(URI uri, byte[] body, long timestamp, String signature) {
                CompletableFuture<Integer> status = new CompletableFuture<>();
                client.POST(uri).timeout(2, TimeUnit.SECONDS)
                        .headers(headers -> headers.put(RankHeaders.TIMESTAMP, Long.toString(timestamp))
                                .put(RankHeaders.SIGNATURE, signature))
                        .body(new BytesRequestContent("application/json", body))
                        .send(result -> {
                            if (result.isFailed()) {
                                status.completeExceptionally(result.getFailure());
                            } else {
                                status.complete(result.getResponse().getStatus());
                            }
                        });
                return status;
            }

            @Override
            public void close() throws Exception {
                client.stop();
            }
        };
    }
}
