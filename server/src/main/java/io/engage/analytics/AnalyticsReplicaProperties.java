package io.engage.analytics;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code engage.analytics.replica.*}: a read replica (hot standby) of the database that analytics reports read from,
 * so that their scans of rollups and raw events load the replica instead of the primary. Empty {@code url}: reports
 * read the primary.
 *
 * @param url JDBC URL of the replica (ENGAGE_ANALYTICS_REPLICA_URL)
 * @param username defaults to the primary's
 * @param password defaults to the primary's
 * @param maxConnections the replica pool's size on each node
 */
@ConfigurationProperties(prefix = "engage.analytics.replica")
record AnalyticsReplicaProperties(String url, String username, String password,
        @DefaultValue("4") int maxConnections) {

    AnalyticsReplicaProperties {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("engage.analytics.replica.max-connections must be at least 1");
        }
    }

    boolean configured() {
        return url != null && !url.isBlank();
    }
}
