package io.engage.cluster;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/** Pins change stamps for the length of each request (see {@link AgentStamps#pin}). */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 20)
class StampPinFilter extends OncePerRequestFilter {

    private final AgentStamps stamps;

    StampPinFilter(AgentStamps stamps) {
        this.stamps = stamps;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try (AgentStamps.Scope pinned = stamps.pin()) {
            chain.doFilter(request, response);
        }
    }
}
