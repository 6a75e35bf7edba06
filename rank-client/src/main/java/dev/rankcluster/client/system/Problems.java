package dev.rankcluster.client.system;

import dev.rankcluster.model.ProblemType;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/** Builds problem bodies whose {@code type} and {@code title} come from the contract's {@link ProblemType}. */
public final class Problems {

    private Problems() {
    }

    public static ProblemDetail of(ProblemType type, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(type.status()), detail);
        problem.setType(type.uri());
        problem.setTitle(type.title());
        return problem;
    }

    /** Gives a problem rendered by Spring (type {@code about:blank}) the contract's type for its status. */
    static void assignType(ProblemDetail problem) {
        if (problem.getType() != null && !"about:blank".equals(problem.getType().toString())) {
            return;
        }
        ProblemType type = ProblemType.forStatus(problem.getStatus());
        problem.setType(type.uri());
        problem.setTitle(type.title());
    }
}
