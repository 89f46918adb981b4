package io.engage.conversation;

import io.engage.agents.Agent;
import io.engage.agents.AgentStatus;
import io.engage.common.ApiProblem;
import io.engage.web.RateLimiter;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Who is calling the agent API: the agent named by the {@code X-Engage-Key} header (looked up on every call, so a
 * revoked or rotated key stops working at once), called from an allowed browser origin, within the agent's
 * request limit.
 *
 * <p>Origins: requests without an {@code Origin} header (servers, curl) are authenticated by the key alone. Browser
 * requests must come from one of the agent's allowed origins ("*" allows any) or from this server itself (the demo
 * page and the portal's preview). Draft agents answer only the latter two: publishing is what makes an agent live
 * on other sites.
 */
@Component
class AgentAccess {

    static final String KEY_HEADER = "X-Engage-Key";

    /**
     * The widget's other calls (config on every page view, events, help-center search, resume after a reload) are
     * cheap next to a question, and a busy site makes many of them: they have their own per-agent budget, this many
     * times the agent's {@code requestsPerMinute}, so that page views never use up the budget for questions.
     */
    static final int WIDGET_CALLS_PER_QUESTION = 20;

    /** Which per-agent budget a call takes. */
    enum Call {
        QUESTION, WIDGET
    }

    private final AgentLookup lookup;
    private final RateLimiter rateLimiter;

    AgentAccess(AgentLookup lookup, RateLimiter rateLimiter) {
        this.lookup = lookup;
        this.rateLimiter = rateLimiter;
    }

    /** The calling agent, or a 401/403/429 problem. */
    Agent authenticate(HttpServletRequest request, Call call) {
        String presented = request.getHeader(KEY_HEADER);
        if (presented == null || presented.isBlank()) {
            throw ApiProblem.unauthorized("Send the agent's API key in the " + KEY_HEADER + " header");
        }
        Agent agent = lookup.agentOfKey(presented.trim())
                .orElseThrow(() -> ApiProblem.unauthorized("The API key is invalid or has been revoked"));
        if (agent.disabledAt() != null) {
            throw ApiProblem.forbidden("This agent has been disabled by the platform administrator");
        }
        checkOrigin(request, agent);
        boolean question = call == Call.QUESTION;
        int limit = question ? agent.limits().requestsPerMinute()
                : agent.limits().requestsPerMinute() * WIDGET_CALLS_PER_QUESTION;
        // throughput budgets: a large one may be overshot by 2 % per node, for a Redis round trip less per call
        RateLimiter.Decision decision = rateLimiter.tryAcquire((question ? "agent:" : "agent-widget:") + agent.id(),
                limit, RateLimiter.Sharing.BOUNDED_SLACK);
        if (!decision.allowed()) {
            throw ApiProblem.tooManyRequests("This agent's limit of " + limit + (question ? " questions" : " widget "
                    + "requests") + " per minute is used up", Duration.ofSeconds(decision.retryAfterSeconds()));
        }
        return agent;
    }

    /** The agent the request's key named when this node last saw it, if it did: a hint (see {@link #authenticate}). */
    Optional<UUID> knownAgent(HttpServletRequest request) {
        String presented = request.getHeader(KEY_HEADER);
        return presented == null || presented.isBlank() ? Optional.empty()
                : lookup.knownAgentOfKey(presented.trim());
    }

    /** The per-end-user limit, checked once the end-user is known. */
    void checkEndUserLimit(Agent agent, String endUserId) {
        RateLimiter.Decision decision = rateLimiter.tryAcquire("user:" + agent.id() + ":" + endUserId,
                agent.limits().perEndUserPerMinute(), RateLimiter.Sharing.BOUNDED_SLACK);
        if (!decision.allowed()) {
            throw ApiProblem.tooManyRequests("You are sending messages too fast; the limit is "
                    + agent.limits().perEndUserPerMinute() + " per minute",
                    Duration.ofSeconds(decision.retryAfterSeconds()));
        }
    }

    private static void checkOrigin(HttpServletRequest request, Agent agent) {
        String origin = request.getHeader("Origin");
        if (origin == null || origin.isBlank()) {
            return;
        }
        String normalized = origin.trim().toLowerCase(Locale.ROOT);
        if (normalized.equals(ownOrigin(request))) {
            return;
        }
        if (agent.status() != AgentStatus.PUBLISHED) {
            throw ApiProblem.forbidden("The agent is not published yet; until it is, it answers only on this "
                    + "server's own pages (preview and demo)");
        }
        List<String> allowed = agent.widget().allowedOrigins();
        if (!allowed.contains("*") && !allowed.contains(normalized)) {
            throw ApiProblem.forbidden("The origin " + normalized + " is not among the agent's allowed origins");
        }
    }

    /** scheme://host[:port] of this server as the browser sees it (forwarded headers are applied by Tomcat). */
    static String ownOrigin(HttpServletRequest request) {
        String scheme = request.getScheme().toLowerCase(Locale.ROOT);
        int port = request.getServerPort();
        boolean defaultPort = ("http".equals(scheme) && port == 80) || ("https".equals(scheme) && port == 443);
        return scheme + "://" + request.getServerName().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
