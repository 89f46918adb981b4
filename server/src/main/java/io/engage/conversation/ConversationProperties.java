package io.engage.conversation;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code engage.conversation.*}. */
@ConfigurationProperties(prefix = "engage.conversation")
record ConversationProperties(
        /* answers streamed at once per node; more get 503 with Retry-After instead of queueing */
        @DefaultValue("200") int maxConcurrentStreams,
        /* an SSE response open longer than this is ended */
        @DefaultValue("5m") Duration streamTimeout,
        /* conversation writes waiting for the background writer; a full queue makes requests wait, then 503 */
        @DefaultValue("50000") int writeQueueCapacity,
        /* how long the writer lets writes gather before storing them in one transaction (0: store at once) */
        @DefaultValue("25ms") Duration writeLinger) {
}
