package io.engage.knowledge;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/** {@code engage.knowledge.*}. */
@ConfigurationProperties(prefix = "engage.knowledge")
record KnowledgeProperties(
        /* largest uploaded file */
        @DefaultValue("20MB") DataSize maxFileSize,
        /* concurrent ingestion jobs per node: one per core keeps every core embedding */
        @DefaultValue("2") int workers,
        /* a job whose node stops renewing its lease for this long is resumed elsewhere */
        @DefaultValue("60s") Duration jobLease,
        /* a job interrupted this many times is marked failed instead of retried */
        @DefaultValue("3") int maxAttempts,
        @DefaultValue("15s") Duration fetchTimeout,
        @DefaultValue("5MB") DataSize fetchMaxSize,
        /* allow fetching URLs on private/loopback addresses (off: SSRF protection) */
        @DefaultValue("false") boolean fetchAllowPrivateAddresses,
        @DefaultValue("32") int embeddingBatchSize,
        /* all-minilm-l6-v2-q (int8, default, ~3x faster) or all-minilm-l6-v2 (float32) */
        @DefaultValue("all-minilm-l6-v2-q") String embeddingModel,
        /* on shutdown, running jobs get this long to finish; the rest go back to the queue for another node */
        @DefaultValue("10s") Duration shutdownGrace) {
}
