package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemType;
import java.time.Duration;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A failure the caller can act on, answered as an RFC 9457 problem of one of the contract's types. */
public class ProblemException extends ErrorResponseException {

    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(HttpStatusCode.valueOf(type.status()), problem(type, detail), null);
        this.type = type;
    }

    public static ProblemDetail problem(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(type.status()), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    public static ProblemException invalidRequest(String detail) {
        return new ProblemException(ProblemType.INVALID_REQUEST, detail);
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(ProblemType.NOT_FOUND, detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(ProblemType.FORBIDDEN, detail);
    }

    public static ProblemException unauthorized(String detail) {
        ProblemException problem = new ProblemException(ProblemType.UNAUTHORIZED, detail);
        problem.getHeaders().set(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        return problem;
    }

    /** A problem that tells the caller when to try again ({@code Retry-After}, whole seconds, at least 1). */
    public static ProblemException retryLater(ProblemType type, String detail, Duration retryAfter) {
        ProblemException problem = new ProblemException(type, detail);
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        problem.getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problem;
    }

    public ProblemType type() {
        return type;
    }

    @Override
    public String getMessage() {
        return type.problemName() + ": " + getBody().getDetail();
    }
}
