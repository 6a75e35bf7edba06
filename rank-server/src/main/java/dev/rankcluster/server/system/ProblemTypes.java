package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemType;

/** The problem type for a status that Spring or the servlet container decided, not our code. */
final class ProblemTypes {

    private ProblemTypes() {
    }

    static ProblemType forStatus(int status) {
        return switch (status) {
            case 401 -> ProblemType.UNAUTHORIZED;
            case 403 -> ProblemType.FORBIDDEN;
            case 404 -> ProblemType.NOT_FOUND;
            case 405 -> ProblemType.METHOD_NOT_ALLOWED;
            case 406 -> ProblemType.NOT_ACCEPTABLE;
            case 413 -> ProblemType.PAYLOAD_TOO_LARGE;
            case 415 -> ProblemType.UNSUPPORTED_MEDIA_TYPE;
            case 429 -> ProblemType.RATE_LIMITED;
            case 503 -> ProblemType.SERVICE_UNAVAILABLE;
            default -> status >= 500 ? ProblemType.INTERNAL_ERROR : ProblemType.INVALID_REQUEST;
        };
    }
}
