package io.engage.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.IntegrationTest;
import jakarta.servlet.Filter;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.handler.HandlerMappingIntrospector;

/**
 * Spring Security's filter as the application wires it: agent API requests pass the MVC handler lookup made in
 * advance (AgentApiIntrospectionBypass), every other request still gets it. Fails if a Spring Security upgrade builds
 * its filter differently, so that the bypass no longer applies.
 */
class SecurityWiringIT extends IntegrationTest {

    private static final String INTROSPECTOR_ATTRIBUTES = HandlerMappingIntrospector.class.getName();

    @Autowired
    @Qualifier("springSecurityFilterChain")
    private Filter securityFilter;

    @Test
    void agentApiRequestsSkipTheHandlerLookupInAdvanceAndOtherRequestsKeepIt() throws Exception {
        assertThat(introspectorAttributesSeenBy("POST", "/agent/query")).isEmpty();
        assertThat(introspectorAttributesSeenBy("POST", "/agent/events")).isEmpty();
        // public paths of the other chains (a protected one would stop at the missing token before the check)
        assertThat(introspectorAttributesSeenBy("POST", "/company/login")).isNotEmpty();
        assertThat(introspectorAttributesSeenBy("GET", "/auth/oidc/providers")).isNotEmpty();
    }

    /** The introspector's request attributes present when the request comes out of the security filters. */
    private List<String> introspectorAttributesSeenBy(String method, String path) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, path);
        request.setServletPath(path);
        AtomicReference<List<String>> seen = new AtomicReference<>(List.of());
        securityFilter.doFilter(request, new MockHttpServletResponse(), (passed, response) ->
                seen.set(Collections.list(passed.getAttributeNames()).stream()
                        .filter(name -> name.startsWith(INTROSPECTOR_ATTRIBUTES)).toList()));
        return seen.get();
    }
}
