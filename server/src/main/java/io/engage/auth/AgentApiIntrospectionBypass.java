package io.engage.auth;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConstructorArgumentValues;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionBuilder;
import org.springframework.security.config.BeanIds;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Spares the agent API the Spring MVC handler lookup that Spring Security 6.5 makes in advance for every request.
 *
 * <p>Spring Security puts {@code HandlerMappingIntrospector}'s cache filter in front of its filter chains (as the
 * first member of the composite filter it registers as {@code springSecurityFilterChain}): the filter resolves the
 * request's MVC handler before any chain runs, for request matchers and CORS settings that consult Spring MVC. The
 * agent API's chain ({@link SecurityConfig#AGENT_API}) consults neither (path patterns, no CORS configuration: the
 * conversation module answers CORS itself), so for its requests the lookup is work thrown away, about 3 % of the CPU of
 * a cached answer; the dispatcher makes its own lookup afterwards anyway. This post-processor wraps that cache filter
 * so that it steps aside for agent API requests; every other request keeps it. Should a later Spring Security build
 * the filter differently, nothing is changed and start-up says so ({@code SecurityWiringIT} fails then, too).
 */
final class AgentApiIntrospectionBypass implements BeanFactoryPostProcessor {

    private static final Logger log = LoggerFactory.getLogger(AgentApiIntrospectionBypass.class);
    private static final String CACHE_FILTER_FACTORY = "HandlerMappingIntrospectorCacheFilterFactoryBean";

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beans) {
        String name = BeanIds.SPRING_SECURITY_FILTER_CHAIN;
        if (!beans.containsBeanDefinition(name)) {
            return;
        }
        ConstructorArgumentValues.ValueHolder first = beans.getBeanDefinition(name).getConstructorArgumentValues()
                .getIndexedArgumentValue(0, List.class);
        if (first != null && first.getValue() instanceof List<?> filters && !filters.isEmpty()
                && filters.get(0) instanceof BeanDefinition cacheFilter
                && cacheFilter.getBeanClassName() != null && cacheFilter.getBeanClassName().endsWith(CACHE_FILTER_FACTORY)) {
            @SuppressWarnings("unchecked")
            List<Object> members = (List<Object>) filters;
            members.set(0, BeanDefinitionBuilder.genericBeanDefinition(SkippedForAgentApi.class)
                    .addConstructorArgValue(cacheFilter).getBeanDefinition());
        } else {
            log.info("Spring Security's filter chain is not built as expected: agent API requests keep the MVC "
                    + "handler lookup in advance");
        }
    }

    /** The introspector's cache filter, passed by for agent API requests. */
    static final class SkippedForAgentApi implements Filter {

        private final Filter cacheFilter;
        private final RequestMatcher agentApi = SecurityConfig.AGENT_API;

        SkippedForAgentApi(Filter cacheFilter) {
            this.cacheFilter = cacheFilter;
        }

        @Override
        public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
                throws IOException, ServletException {
            if (request instanceof HttpServletRequest http && agentApi.matches(http)) {
                chain.doFilter(request, response);
            } else {
                cacheFilter.doFilter(request, response, chain);
            }
        }
    }
}
