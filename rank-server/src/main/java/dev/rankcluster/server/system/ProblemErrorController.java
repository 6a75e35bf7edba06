package dev.rankcluster.server.system;

import dev.rankcluster.model.ProblemType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Renders what reaches the servlet container's error page (failures outside Spring MVC, such as a
 * filter's) as a problem too, in place of Boot's default error body.
 */
@RestController
class ProblemErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        if (code == null) {
            // Asked for directly, not forwarded by the container: there is no such endpoint.
            return problem(ProblemType.NOT_FOUND, 404, "no such endpoint: " + request.getRequestURI());
        }
        int status = code instanceof Integer value && value >= 400 ? value : 500;
        ProblemType type = ProblemType.forStatus(status);
        String detail = status >= 500 ? "the server failed to handle the request; the cause is in its log"
                : "the request was refused: " + type.title().toLowerCase(java.util.Locale.ROOT);
        return problem(type, status, detail);
    }

    private static ResponseEntity<ProblemDetail> problem(ProblemType type, int status, String detail) {
        ProblemDetail problem = ProblemException.problem(type, detail);
        problem.setStatus(status);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
