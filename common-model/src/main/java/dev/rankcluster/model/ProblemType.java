package dev.rankcluster.model;

import java.net.URI;

/** The RFC 9457 problem types of the contract, shared so that both sides name them alike. */
public enum ProblemType {
    INVALID_REQUEST("invalid-request", 400, "Invalid request"),
    UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
    INVALID_SIGNATURE("invalid-signature", 401, "Invalid signature"),
    FORBIDDEN("forbidden", 403, "Forbidden"),
    RANK_VIOLATION("rank-violation", 403, "Rank violation"),
    MISADDRESSED("misaddressed", 403, "Misaddressed delivery"),
    NOT_FOUND("not-found", 404, "Not found"),
    METHOD_NOT_ALLOWED("method-not-allowed", 405, "Method not allowed"),
    NOT_ACCEPTABLE("not-acceptable", 406, "Not acceptable"),
    DELIVERY_EXPIRED("delivery-expired", 410, "Delivery expired"),
    PAYLOAD_TOO_LARGE("payload-too-large", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("unsupported-media-type", 415, "Unsupported media type"),
    RATE_LIMITED("rate-limited", 429, "Too many requests"),
    CLUSTER_FULL("cluster-full", 503, "Cluster full"),
    SERVICE_UNAVAILABLE("service-unavailable", 503, "Service unavailable"),
    INTERNAL_ERROR("internal-error", 500, "Internal error");

    /** Every problem type is this base plus the problem's name. */
    public static final URI BASE = URI.create("https://rank-cluster.dev/problems/");

    private final String problemName;
    private final int status;
    private final String title;

    ProblemType(String problemName, int status, String title) {
        this.problemName = problemName;
        this.status = status;
        this.title = title;
    }

    public String problemName() {
        return problemName;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public URI uri() {
        return BASE.resolve(problemName);
    }

    /**
     * The type for a status that Spring or the servlet container decided, not our code: the generic type of
     * each status, since only our code knows when a 503 means a full cluster or a 403 a rank violation.
     */
    public static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 405 -> METHOD_NOT_ALLOWED;
            case 406 -> NOT_ACCEPTABLE;
            case 410 -> DELIVERY_EXPIRED;
            case 413 -> PAYLOAD_TOO_LARGE;
            case 415 -> UNSUPPORTED_MEDIA_TYPE;
            case 429 -> RATE_LIMITED;
            case 503 -> SERVICE_UNAVAILABLE;
            default -> status >= 500 ? INTERNAL_ERROR : INVALID_REQUEST;
        };
    }
}
