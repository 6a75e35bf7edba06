package dev.rankcluster.server.membership.redis;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.system.ProblemException;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.IntegerOutput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.ReturnType;
import org.springframework.data.redis.connection.lettuce.LettuceConnection;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * Runs a change's script and then {@code WAIT}s for {@code rank.server.redis.min-replicas-acknowledged} replicas,
 * both in one round trip on a connection of its own: {@code WAIT} blocks the connection it runs on, so it must not
 * hold up the shared connection that every other request uses. A change the replicas do not confirm in time was
 * made on the primary but may be lost in a failover: it is answered with {@code 503}, and a retry is safe
 * (registering an address again renews its lease).
 */
final class ReplicaAcknowledgedWrites implements AutoCloseable {

    /** Changes waiting for their replicas at once, each on its own connection. */
    static final int MAX_CONNECTIONS = 8;

    /** Acknowledges once the primary has the change: no replica is waited for. */
    static final ReplicaAcknowledgedWrites NONE = new ReplicaAcknowledgedWrites(null, 0, Duration.ZERO);

    private final RedisConnectionFactory factory;
    private final int replicas;
    private final Duration timeout;
    private final Semaphore permits = new Semaphore(MAX_CONNECTIONS);
    private final BlockingQueue<LettuceConnection> idle = new LinkedBlockingQueue<>();

    ReplicaAcknowledgedWrites(RedisConnectionFactory factory, int replicas, Duration timeout) {
        this.factory = factory;
        this.replicas = replicas;
        this.timeout = timeout;
    }

    int replicas() {
        return replicas;
    }

    /** The script's reply, once {@link #replicas()} replicas hold the change. */
    List<Object> run(RedisScript<?> script, String... args) {
        acquire();
        LettuceConnection connection = idle.poll();
        boolean reusable = false;
        try {
            if (connection == null) {
                connection = (LettuceConnection) factory.getConnection();
            }
            // A pipeline runs on the connection's own dedicated native connection, not the shared one.
            connection.openPipeline();
            connection.scriptingCommands().eval(bytes(script.getScriptAsString()), ReturnType.MULTI, 0, bytes(args));
            connection.execute("WAIT", new IntegerOutput<>(ByteArrayCodec.INSTANCE),
                    bytes(Integer.toString(replicas)), bytes(Long.toString(timeout.toMillis())));
            List<Object> results = connection.closePipeline();
            reusable = true;
            long acknowledged = (Long) results.get(1);
            if (acknowledged < replicas) {
                throw notConfirmed(acknowledged);
            }
            return strings((List<?>) results.get(0));
        } finally {
            if (reusable) {
                idle.offer(connection);
            } else if (connection != null) {
                connection.close();
            }
            permits.release();
        }
    }

    private void acquire() {
        try {
            if (!permits.tryAcquire(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)) {
                throw new QueryTimeoutException("no connection free to wait for the replicas");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QueryTimeoutException("interrupted while waiting for a connection");
        }
    }

    private ProblemException notConfirmed(long acknowledged) {
        return ProblemException.retryLater(ProblemType.SERVICE_UNAVAILABLE,
                "the change is on the Redis primary, but %d of the %d replicas it needs confirmed it within %d ms, so a failover could lose it; try again shortly"
                        .formatted(acknowledged, replicas, timeout.toMillis()),
                Duration.ofSeconds(1));
    }

    /** As the template's own script calls answer: strings and integers. */
    private static List<Object> strings(List<?> reply) {
        List<Object> values = new ArrayList<>(reply.size());
        for (Object value : reply) {
            values.add(value instanceof byte[] raw ? new String(raw, StandardCharsets.UTF_8) : value);
        }
        return values;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[][] bytes(String[] texts) {
        byte[][] values = new byte[texts.length][];
        for (int i = 0; i < texts.length; i++) {
            values[i] = bytes(texts[i]);
        }
        return values;
    }

    @Override
    public void close() {
        for (LettuceConnection connection = idle.poll(); connection != null; connection = idle.poll()) {
            connection.close();
        }
    }
}
