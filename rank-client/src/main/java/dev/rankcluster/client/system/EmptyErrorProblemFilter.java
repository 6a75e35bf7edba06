package dev.rankcluster.client.system;

import dev.rankcluster.model.ProblemJson;
import dev.rankcluster.model.ProblemType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/**
 * Actuator answers some errors with a bare status and no body (an unknown health component: {@code 404}).
 * This gives those a problem body too; every other answer passes through untouched.
 */
@Component
class EmptyErrorProblemFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !request.getRequestURI().startsWith("/actuator/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        var wrapper = new ContentCachingResponseWrapper(response);
        chain.doFilter(request, wrapper);
        int status = wrapper.getStatus();
        if (status >= 400 && wrapper.getContentSize() == 0 && !wrapper.isCommitted()) {
            String detail = status == 404 ? "nothing at " + request.getRequestURI().replaceAll("[^A-Za-z0-9/_.-]", "?")
                    : ProblemType.forStatus(status).title();
            wrapper.setContentType(ProblemJson.MEDIA_TYPE);
            wrapper.getOutputStream().write(ProblemJson.forStatus(status, detail).getBytes(StandardCharsets.UTF_8));
        }
        wrapper.copyBodyToResponse();
    }
}
