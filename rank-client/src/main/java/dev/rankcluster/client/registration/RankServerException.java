package dev.rankcluster.client.registration;

import java.time.Duration;
import java.util.Optional;

/**
 * A call to the rank server that did not succeed, typed by what the caller should do about it.
 * Expected failures, so no stack trace is recorded.
 */
public abstract sealed class RankServerException extends RuntimeException {

    private RankServerException(String message, Throwable cause) {
        super(message, cause, false, false);
    }

    /** When the server asked to be called again, if it said so. */
    public Optional<Duration> retryAfter() {
        return Optional.empty();
    }

    /** {@code 404} or {@code 403} for our registration: it is gone or someone else owns it now; register again. */
    public static final class LeaseLost extends RankServerException {
        private final String why;

        LeaseLost(int status, String cause) {
            super("server answered " + status, null);
            this.why = why(status, cause);
        }

        /** Why the lease is gone, as far as the server's answer tells ({@code cause} of its problem document). */
        public String why() {
            return why;
        }

        private static String why(int status, String cause) {
            if (status == 403) {
                return "another registration took this client's address";
            }
            return switch (cause == null ? "" : cause) {
                case "expired" -> "it expired: no heartbeat reached the server within the lease TTL";
                case "removed" -> "an operator removed this client";
                case "unreachable" -> "the server could not deliver commands to this client and removed it";
                case "left" -> "this client had unregistered";
                case "unknown" -> "the server does not know this client: it restarted or lost its store";
                default -> "server answered " + status;
            };
        }
    }

    /** {@code 503} (cluster full) or {@code 429} (rate limited): come back later. */
    public static final class Busy extends RankServerException {
        private final Duration retryAfter;

        Busy(int status, Duration retryAfter) {
            super("server answered " + status, null);
            this.retryAfter = retryAfter;
        }

        @Override
        public Optional<Duration> retryAfter() {
            return Optional.ofNullable(retryAfter);
        }
    }

    /** The server is down, unreachable, too slow, or failed with a 5xx: try again. */
    public static final class Unavailable extends RankServerException {
        Unavailable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Any other 4xx: the request itself was refused (for example a wrong cluster token). */
    public static final class Refused extends RankServerException {
        Refused(int status) {
            super("server refused the request with " + status, null);
        }
    }
}
