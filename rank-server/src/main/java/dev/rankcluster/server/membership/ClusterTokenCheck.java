package dev.rankcluster.server.membership;

import dev.rankcluster.server.system.BearerTokens;
import dev.rankcluster.server.system.ClusterProperties;
import dev.rankcluster.server.system.ProblemException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * With a cluster token set, only callers that present it ({@code Authorization: Bearer <token>}) may register.
 * Checked before the body is read, so an outsider learns nothing from validation errors.
 */
@Component
class ClusterTokenCheck implements HandlerInterceptor, WebMvcConfigurer {

    private final String clusterToken;

    ClusterTokenCheck(ClusterProperties cluster) {
        this.clusterToken = cluster.token();
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this).addPathPatterns(MembershipController.MEMBERS);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (clusterToken == null || !"POST".equals(request.getMethod())) {
            return true;
        }
        String given = BearerTokens.from(request.getHeader(HttpHeaders.AUTHORIZATION)).orElse(null);
        if (given == null) {
            throw ProblemException.unauthorized("registration needs the cluster token: Authorization: Bearer <token>");
        }
        if (!BearerTokens.sameSecret(clusterToken, given)) {
            throw ProblemException.unauthorized("the bearer token is not this cluster's token");
        }
        return true;
    }
}
