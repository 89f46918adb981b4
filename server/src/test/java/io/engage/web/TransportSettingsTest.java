package io.engage.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.mock.env.MockEnvironment;

/** How ENGAGE_TLS_* and ENGAGE_FORWARDED_HEADERS become Spring Boot's settings (TlsIT starts real servers). */
class TransportSettingsTest {

    @Test
    void byDefaultPlainHttpAndNoForwardedHeaders() {
        Map<String, Object> derived = TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.keystore", "").withProperty("engage.tls.cert", " "));
        assertThat(derived).containsExactly(entry("server.forward-headers-strategy", "none"));
    }

    @Test
    void aKeystoreBecomesTheServersSslBundle() {
        Map<String, Object> derived = TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.keystore", "/etc/engage/tls.p12")
                .withProperty("engage.tls.keystore-password", "s3cret")
                .withProperty("engage.web.forwarded-headers", "true"));
        assertThat(derived).containsOnly(
                entry("spring.ssl.bundle.jks.engage.keystore.location", "/etc/engage/tls.p12"),
                entry("spring.ssl.bundle.jks.engage.keystore.type", "PKCS12"),
                entry("spring.ssl.bundle.jks.engage.keystore.password", "s3cret"),
                entry("spring.ssl.bundle.jks.engage.reload-on-update", true),
                entry("server.ssl.bundle", "engage"),
                entry("server.forward-headers-strategy", "native"));
    }

    @Test
    void pemFilesBecomeTheServersSslBundle() {
        Map<String, Object> derived = TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.cert", "/etc/engage/fullchain.pem")
                .withProperty("engage.tls.key", "/etc/engage/privkey.pem"));
        assertThat(derived).containsOnly(
                entry("spring.ssl.bundle.pem.engage.keystore.certificate", "/etc/engage/fullchain.pem"),
                entry("spring.ssl.bundle.pem.engage.keystore.private-key", "/etc/engage/privkey.pem"),
                entry("spring.ssl.bundle.pem.engage.reload-on-update", true),
                entry("server.ssl.bundle", "engage"),
                entry("server.forward-headers-strategy", "none"));
        // PEM text itself (no file to watch) is not reloaded
        assertThat(TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.cert", "-----BEGIN CERTIFICATE-----\nMII...")
                .withProperty("engage.tls.key", "/etc/engage/privkey.pem")))
                .containsEntry("spring.ssl.bundle.pem.engage.reload-on-update", false);
    }

    @Test
    void contradictoryOrIncompleteSettingsStopTheStart() {
        assertThatThrownBy(() -> TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.keystore", "tls.p12").withProperty("engage.tls.cert", "cert.pem")
                .withProperty("engage.tls.key", "key.pem")))
                .hasMessage("Set either ENGAGE_TLS_KEYSTORE or ENGAGE_TLS_CERT and ENGAGE_TLS_KEY, not both");
        assertThatThrownBy(() -> TransportSettings.derive(new MockEnvironment()
                .withProperty("engage.tls.cert", "cert.pem")))
                .hasMessageStartingWith("ENGAGE_TLS_CERT and ENGAGE_TLS_KEY go together");
    }

    @Test
    void theRedirectPortNeedsHttps() {
        assertThatThrownBy(() -> new HttpsRedirectConfig(8080, null, "").customize(new TomcatServletWebServerFactory()))
                .hasMessageStartingWith("ENGAGE_TLS_REDIRECT_PORT redirects to HTTPS, which is off");
        TomcatServletWebServerFactory factory = new TomcatServletWebServerFactory();
        new HttpsRedirectConfig(null, null, "").customize(factory);
        assertThat(factory.getAdditionalTomcatConnectors()).isEmpty();
    }
}
