package dev.rankcluster.server.membership.redis;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.system.ProblemException;
import io.lettuce.core.RedisCommandExecutionException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.ClassPathResource;
import org.springframework.dao.DataAccessException;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.RedisScript;
import org.springframework.util.StreamUtils;

/**
 * Runs the Redis store's Lua scripts ({@code src/main/resources/redis/}) on Redis. Each script is one atomic
 * step; a Redis that does not answer turns into {@code 503 service-unavailable}, and nothing was written. Changes
 * of the ranking ({@link #runChange}) also wait for the replicas that {@code rank.server.redis.min-replicas-acknowledged}
 * asks for.
 */
final class MembershipScripts {

    static final String EPOCH_KEY = "rank:epoch";
    static final String HISTORY_KEY = "rank:history";
    /** The history of a Redis that saw no change yet ({@code prelude.lua}). */
    static final String NO_HISTORY = "-";
    static final String CHANGES_CHANNEL = "rank:changes";

    private static final Logger log = LoggerFactory.getLogger(MembershipScripts.class);

    enum Script {
        REGISTER, RENEW, RENEW_BATCH, REMOVE, COMMAND_TARGETS, RECORD_DELIVERIES, FIND, RANKING, RANKING_AFTER_LOSS, REAP, COMMAND_RATE;

        String file() {
            return "redis/" + name().toLowerCase(Locale.ROOT).replace('_', '-') + ".lua";
        }
    }

    private final StringRedisTemplate redis;
    private final ReplicaAcknowledgedWrites acknowledgedWrites;
    private final Map<Script, RedisScript<List>> scripts = new EnumMap<>(Script.class);
    private final AtomicBoolean reachable = new AtomicBoolean(true);

    /** Changes acknowledged once the primary has them. */
    MembershipScripts(StringRedisTemplate redis) {
        this(redis, ReplicaAcknowledgedWrites.NONE);
    }

    MembershipScripts(StringRedisTemplate redis, ReplicaAcknowledgedWrites acknowledgedWrites) {
        this.redis = redis;
        this.acknowledgedWrites = acknowledgedWrites;
        String prelude = read("redis/prelude.lua");
        for (Script script : Script.values()) {
            scripts.put(script, RedisScript.of(prelude + read(script.file()), List.class));
        }
    }

    Reply run(Script script, Object... args) {
        String[] values = strings(args);
        return new Reply(call(() -> redis.execute(scripts.get(script), List.of(), (Object[]) values), script));
    }

    /**
     * A script that may change the ranking: acknowledged only once the configured number of replicas hold the
     * change, so that a failover cannot lose it ({@code 503} when they do not confirm in time).
     */
    Reply runChange(Script script, Object... args) {
        if (acknowledgedWrites.replicas() == 0) {
            return run(script, args);
        }
        String[] values = strings(args);
        return new Reply(call(() -> acknowledgedWrites.run(scripts.get(script), values), script));
    }

    private static String[] strings(Object[] args) {
        String[] values = new String[args.length];
        for (int i = 0; i < args.length; i++) {
            values[i] = String.valueOf(args[i]);
        }
        return values;
    }

    /** Where the ranking in Redis stands, in one round trip. */
    Version version() {
        List<String> values = call(() -> redis.opsForValue().multiGet(List.of(EPOCH_KEY, HISTORY_KEY)), null);
        return new Version(values.get(0) == null ? 0 : Long.parseLong(values.get(0)),
                values.get(1) == null ? NO_HISTORY : values.get(1));
    }

    private <T> T call(Supplier<T> command, Script script) {
        T result;
        try {
            result = command.get();
        } catch (DataAccessException e) {
            String error = errorReply(e);
            if (error != null && error.startsWith("ERR")) {
                // Redis answered, but a script failed: a bug or a Redis the scripts do not suit, not an outage.
                log.error("Redis failed the membership script {}: {}", script == null ? "read" : script.file(), error);
                throw new ProblemException(ProblemType.INTERNAL_ERROR,
                        "the membership store (Redis) failed a step of this request; nothing was changed");
            }
            if (error != null) {
                // READONLY, LOADING, MASTERDOWN, NOREPLICAS, BUSY, OOM...: Redis answers, but not as a writable
                // primary for now (a failover, a restart): as good as not answering, say which.
                if (reachable.compareAndSet(true, false)) {
                    log.warn("Redis refuses membership requests ({}): they fail with 503 until it accepts them", error);
                }
                throw ProblemException.retryLater(ProblemType.SERVICE_UNAVAILABLE,
                        "the membership store (Redis) cannot take requests right now; nothing was changed, try again shortly",
                        Duration.ofSeconds(1));
            }
            if (reachable.compareAndSet(true, false)) {
                log.warn("Redis does not answer ({}): membership requests fail with 503 until it does", e.getMessage());
            }
            throw ProblemException.retryLater(ProblemType.SERVICE_UNAVAILABLE,
                    "the membership store (Redis) does not answer; nothing was changed, try again shortly",
                    Duration.ofSeconds(1));
        }
        if (reachable.compareAndSet(false, true)) {
            log.info("Redis answers again: membership requests are served");
        }
        return result;
    }

    /** The error Redis answered with, or null when it did not answer at all. */
    private static String errorReply(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof RedisCommandExecutionException answered) {
                return answered.getMessage() == null ? "ERR (no message)" : answered.getMessage();
            }
        }
        return null;
    }

    private static String read(String path) {
        try {
            return StreamUtils.copyToString(new ClassPathResource(path).getInputStream(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the membership script " + path, e);
        }
    }

    /**
     * Where a ranking stands: the count of changes that made it, and their digest ({@code prelude.lua}). Two
     * rankings at one version are the same ranking; at one epoch with two histories, one of them lost changes.
     */
    record Version(long epoch, String history) {
    }

    /** What a script answered: a status word first, then strings and integers. */
    record Reply(List<?> values) {

        Reply {
            values = values == null ? List.of() : values;
        }

        boolean isEmpty() {
            return values.isEmpty();
        }

        int size() {
            return values.size();
        }

        String status() {
            return text(0);
        }

        String text(int index) {
            return String.valueOf(values.get(index));
        }

        long number(int index) {
            return Long.parseLong(text(index));
        }
    }
}
