package io.engage.web;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.StringUtils;

/**
 * Turns Engage's own transport settings ({@code engage.tls.*}, {@code engage.web.forwarded-headers}, set by the
 * ENGAGE_TLS_* and ENGAGE_FORWARDED_HEADERS variables in application.yml) into Spring Boot's: an SSL bundle named
 * {@value #BUNDLE} ({@code spring.ssl.bundle.jks|pem.engage.*}, reloaded when its files change) used by the server
 * ({@code server.ssl.bundle}), and {@code server.forward-headers-strategy}. A condition on which variables are set
 * cannot be written in YAML, hence this step. The derived properties come last, so Spring's own properties, when
 * given, win.
 */
class TransportSettings implements EnvironmentPostProcessor, Ordered {

    static final String BUNDLE = "engage";

    @Override
    public int getOrder() {
        // after application.yml and the environment are loaded (ConfigDataEnvironmentPostProcessor)
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        environment.getPropertySources().addLast(new MapPropertySource("engageTransport", derive(environment)));
    }

    static Map<String, Object> derive(ConfigurableEnvironment environment) {
        Map<String, Object> properties = new LinkedHashMap<>();
        String keystore = text(environment, "engage.tls.keystore");
        String cert = text(environment, "engage.tls.cert");
        String key = text(environment, "engage.tls.key");
        if (keystore != null && (cert != null || key != null)) {
            throw new IllegalStateException("Set either ENGAGE_TLS_KEYSTORE or ENGAGE_TLS_CERT and ENGAGE_TLS_KEY, "
                    + "not both");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalStateException("ENGAGE_TLS_CERT and ENGAGE_TLS_KEY go together: set both (PEM files of "
                    + "the certificate chain and of its private key)");
        }
        if (keystore != null) {
            String prefix = "spring.ssl.bundle.jks." + BUNDLE + ".";
            properties.put(prefix + "keystore.location", keystore);
            properties.put(prefix + "keystore.type", environment.getProperty("engage.tls.keystore-type", "PKCS12"));
            putIfText(properties, prefix + "keystore.password", text(environment, "engage.tls.keystore-password"));
            // a renewed keystore file is picked up without a restart
            properties.put(prefix + "reload-on-update", isFile(keystore));
            properties.put("server.ssl.bundle", BUNDLE);
        } else if (cert != null) {
            String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
            properties.put(prefix + "keystore.certificate", cert);
            properties.put(prefix + "keystore.private-key", key);
            putIfText(properties, prefix + "keystore.private-key-password", text(environment, "engage.tls.key-password"));
            properties.put(prefix + "reload-on-update", isFile(cert) && isFile(key));
            properties.put("server.ssl.bundle", BUNDLE);
        }
        // off unless asked for: with it, a client that reaches the server directly could claim any address or
        // scheme in X-Forwarded-* (Tomcat trusts those headers only from private-range addresses, and only those
        // must be proxies that overwrite them; see docs/security.md)
        boolean forwarded = environment.getProperty("engage.web.forwarded-headers", Boolean.class, false);
        properties.put("server.forward-headers-strategy", forwarded ? "native" : "none");
        return properties;
    }

    /** Inline PEM text (not a file) cannot be watched for changes. */
    private static boolean isFile(String location) {
        return !location.contains("-----BEGIN") && !location.startsWith("classpath:");
    }

    private static String text(ConfigurableEnvironment environment, String name) {
        String value = environment.getProperty(name);
        return StringUtils.hasText(value) ? value.trim() : null;
    }

    private static void putIfText(Map<String, Object> properties, String name, String value) {
        if (value != null) {
            properties.put(name, value);
        }
    }
}
