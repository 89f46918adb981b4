package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.engage.support.Api;
import io.engage.support.IntegrationTest;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.test.context.TestPropertySource;

/**
 * With {@code MANAGEMENT_SERVER_PORT} set (as deploy/ does), probes and metrics are served on that port and nowhere
 * else: the proxy or ingress in front of the public port cannot hand {@code /actuator/prometheus} to the internet,
 * and the API is not reachable through the management port.
 */
@TestPropertySource(properties = "management.server.port=0")
class ManagementPortIT extends IntegrationTest {

    @LocalManagementPort
    int managementPort;

    @Test
    void probesAndMetricsAreOnTheManagementPortOnly() {
        Api management = new Api(managementPort);
        assertThat(managementPort).isNotEqualTo(port);
        assertThat(management.get("/actuator/health/readiness", null).json().get("status").asText()).isEqualTo("UP");
        assertThat(management.get("/actuator/health/liveness", null).json().get("status").asText()).isEqualTo("UP");
        api.get("/actuator/health", null); // one request on the public port, so its timer exists
        assertThat(management.get("/actuator/prometheus", null).body()).contains("http_server_requests");

        for (String path : new String[] {"/actuator/prometheus", "/actuator/health", "/actuator/health/readiness"}) {
            assertProblem(api.get(path, null), 404);
        }
        String token = signup().token();
        assertThat(api.get("/company/agents", token).status()).isEqualTo(200);
        assertThat(management.get("/company/agents", token).status()).isEqualTo(404);
    }
}
