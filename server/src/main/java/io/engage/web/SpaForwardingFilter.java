package io.engage.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The portal is one single-page app under /admin/* and /app/*, and the admin API shares the /admin prefix. A browser
 * navigating to such a path (GET, Accept: text/html, no file extension) gets the SPA's index.html; API calls (JSON or
 * any other Accept) reach the controllers.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class SpaForwardingFilter extends OncePerRequestFilter {

    private static final Pattern SPA_ROUTE = Pattern.compile("^/(admin|app)(/[^.]*)?$");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String accept = request.getHeader("Accept");
        return !"GET".equals(request.getMethod()) || accept == null || !accept.contains("text/html")
                || !SPA_ROUTE.matcher(request.getRequestURI()).matches();
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        request.getRequestDispatcher("/index.html").forward(request, response);
    }
}
