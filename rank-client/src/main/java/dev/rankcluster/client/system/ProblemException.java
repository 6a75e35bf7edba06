package dev.rankcluster.client.system;

import dev.rankcluster.model.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/** A request this client refuses, rendered as the contract's RFC 9457 problem of that type. */
public class ProblemException extends ErrorResponseException {

    private final ProblemType problemType;

    public ProblemException(ProblemType problemType, String detail) {
        super(HttpStatusCode.valueOf(problemType.status()), Problems.of(problemType, detail), null);
        this.problemType = problemType;
    }

    public ProblemType problemType() {
        return problemType;
    }

    @Override
    public String getMessage() {
        return problemType.problemName() + ": " + getBody().getDetail();
    }

    /** The problem body of this exception. */
    public ProblemDetail problem() {
        return getBody();
    }
}
