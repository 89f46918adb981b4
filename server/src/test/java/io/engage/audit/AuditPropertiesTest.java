package io.engage.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

class AuditPropertiesTest {

    private static AuditProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values))
                .bindOrCreate("engage.audit", AuditProperties.class);
    }

    @Test
    void aYearByDefaultZeroForGoodNegativeRefused() {
        assertThat(bind(Map.of()).retention()).isEqualTo(Duration.ofDays(365));
        assertThat(bind(Map.of("engage.audit.retention", "0")).retention()).isZero();
        assertThat(bind(Map.of("engage.audit.retention", "30d")).retention()).isEqualTo(Duration.ofDays(30));
        assertThatThrownBy(() -> bind(Map.of("engage.audit.retention", "-1d"))).hasRootCauseInstanceOf(
                IllegalArgumentException.class);
    }
}
