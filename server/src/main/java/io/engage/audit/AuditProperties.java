package io.engage.audit;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * @param retention how long audit entries are kept ({@code ENGAGE_AUDIT_RETENTION}); 0 keeps them for good
 */
@ConfigurationProperties("engage.audit")
record AuditProperties(@DefaultValue("365d") Duration retention) {

    AuditProperties {
        if (retention.isNegative()) {
            throw new IllegalArgumentException("engage.audit.retention must be 0 (keep for good) or positive");
        }
    }
}
