package dev.rankcluster.model;

/**
 * The member session: one WebSocket per member ({@code GET /api/v1/members/{id}/session} with
 * {@code X-Lease-Token}) on which {@code renew} frames renew the lease and the server pushes deliveries, each
 * acknowledged with the status {@code POST /api/v1/commands} would have answered. Frames are JSON text frames of
 * at most {@link #MAX_FRAME} bytes; the close codes say why a session ended.
 */
public final class SessionProtocol {

    public static final String PATH = "/api/v1/members/{id}/session";
    public static final int MAX_FRAME = 16 * 1024;

    public static final String RENEW = "renew";
    public static final String RENEWED = "renewed";
    public static final String DELIVERY = "delivery";
    public static final String ACK = "ack";

    /** The renew frame: always these bytes, so that a server can recognise it without parsing. */
    public static final String RENEW_FRAME = "{\"type\":\"renew\"}";

    /** The member unregistered. */
    public static final int LEFT = 1000;
    /** The server is shutting down. */
    public static final int SHUTDOWN = 1001;
    /** An operator dropped the session; the member may open another at once. */
    public static final int DROPPED_BY_OPERATOR = 4000;
    /** A frame that is not one of the protocol's. */
    public static final int INVALID_FRAME = 4400;
    /** A newer session, or a newer registration of the address, took over. */
    public static final int REPLACED = 4403;
    /** The member is no longer registered: register again. */
    public static final int GONE = 4404;

    private SessionProtocol() {
    }

    public static String path(String memberId) {
        return PATH.replace("{id}", memberId);
    }

    /**
     * {@code {"type":"renewed",...}}: the answer to a renew frame. (A delivery frame is
     * {@code {"type":"delivery","timestamp","signature","body"}}: {@code body} is the delivery's JSON exactly as it
     * would be posted, {@code timestamp} and {@code signature} what the {@code X-Rank-Timestamp} and
     * {@code X-Rank-Signature} headers would carry; read as a {@link Frame}.)
     */
    public record Renewed(String type, int rank, long epoch, long leaseTtlMs) {
        public Renewed(LeaseRenewal renewal) {
            this(RENEWED, renewal.rank(), renewal.epoch(), renewal.leaseTtlMs());
        }

    }

    /** The member's answer to a delivery: the status, and the problem's name for a refusal. */
    public record Ack(String type, String commandId, int status, String problem) {
        public Ack(String commandId, int status, String problem) {
            this(ACK, commandId, status, problem);
        }

        public boolean executed() {
            return status >= 200 && status < 300;
        }
    }

    /** Any frame, as read: the fields of the frame's type are set, the others null. */
    public record Frame(String type, Integer rank, Long epoch, Long leaseTtlMs, String commandId, Integer status,
                        String problem, Long timestamp, String signature, String body) {
    }
}
