package dev.rankcluster.server.command;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import dev.rankcluster.server.system.RankServerProperties;
import java.time.Duration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * The rate limit of the memory store, in this server alone: a token bucket per member that holds one second's
 * worth and refills continuously. With {@code rank.server.store=redis} the buckets live in Redis instead.
 */
@Component
@ConditionalOnProperty(name = "rank.server.store", havingValue = "memory", matchIfMissing = true)
class LocalCommandRateLimiter implements CommandRateLimiter {

    private final int perSecond;
    private final Ticker ticker;
    private final Cache<String, Bucket> buckets;

    LocalCommandRateLimiter(RankServerProperties properties, Ticker ticker) {
        this.perSecond = properties.maxCommandsPerSecond();
        this.ticker = ticker;
        this.buckets = Caffeine.newBuilder().expireAfterAccess(Duration.ofMinutes(1)).ticker(ticker).build();
    }

    @Override
    public void acquire(String memberId) {
        long now = ticker.read();
        long waitNanos = buckets.get(memberId, id -> new Bucket(perSecond, now)).take(now);
        if (waitNanos > 0) {
            throw CommandRateLimiter.rateLimited(perSecond, Duration.ofNanos(waitNanos));
        }
    }

    private static final class Bucket {

        private static final double NANOS_PER_SECOND = 1e9;

        private final int capacity;
        private double tokens;
        private long updatedAt;

        Bucket(int capacity, long now) {
            this.capacity = capacity;
            this.tokens = capacity;
            this.updatedAt = now;
        }

        /** Zero when a token was taken, else the nanoseconds until one is available. */
        synchronized long take(long now) {
            tokens = Math.min(capacity, tokens + (now - updatedAt) * capacity / NANOS_PER_SECOND);
            updatedAt = Math.max(updatedAt, now);
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / capacity);
        }
    }
}
