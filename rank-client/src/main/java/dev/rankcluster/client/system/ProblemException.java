package dev.rankcluster.client.system;

import dev.rankcluster.model.ProblemType;
import org.springframework.http.HttpStatusCode;
import org.springframework.web.ErrorResponseException;

/** A request this client refuses, rendered as the contract's RFC 9457 problem of that type. */
public class ProblemException extends ErrorResponseException {

    public ProblemException(ProblemType problemType, String detail) {
        super(HttpStatusCode.valueOf(problemType.status()), Problems.of(problemType, detail), null);
    }

    @Override
    public String getMessage() {
        return getBody().getType() + ": " + getBody().getDetail();
    }
}
