package dev.rankcluster.server.command;

import dev.rankcluster.model.ProblemType;
import dev.rankcluster.server.system.ProblemException;
import java.time.Duration;

/**
 * At most {@code rank.server.max-commands-per-second} commands per member, so that one member cannot amplify
 * its fan-out at will. The limit holds per member whichever server the commands go through: the Redis store
 * keeps the allowance in Redis.
 */
public interface CommandRateLimiter {

    /** Takes one command from the member's allowance, or refuses with {@code 429} and when to retry. */
    void acquire(String memberId);

    static ProblemException rateLimited(int perSecond, Duration retryAfter) {
        return ProblemException.retryLater(ProblemType.RATE_LIMITED,
                "a member may send at most %d commands per second; try again shortly".formatted(perSecond), retryAfter);
    }
}
