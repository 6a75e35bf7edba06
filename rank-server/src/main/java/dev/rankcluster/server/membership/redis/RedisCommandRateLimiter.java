package dev.rankcluster.server.membership.redis;

import dev.rankcluster.server.command.CommandRateLimiter;
import java.time.Duration;

/** The rate limit with the Redis store: one token bucket per member in Redis, shared by every server. */
final class RedisCommandRateLimiter implements CommandRateLimiter {

    private final MembershipScripts scripts;
    private final int perSecond;

    RedisCommandRateLimiter(MembershipScripts scripts, int perSecond) {
        this.scripts = scripts;
        this.perSecond = perSecond;
    }

    @Override
    public void acquire(String memberId) {
        long waitMs = scripts.run(MembershipScripts.Script.COMMAND_RATE, memberId, perSecond).number(0);
        if (waitMs > 0) {
            throw CommandRateLimiter.rateLimited(perSecond, Duration.ofMillis(waitMs));
        }
    }
}
