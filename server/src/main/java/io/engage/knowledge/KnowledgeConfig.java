package io.engage.knowledge;

import io.engage.common.DaemonThreads;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** The stateless, thread-safe parts of the pipeline, shared by request handling and the ingestion worker. */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfig {

    @Bean
    DocumentParser documentParser() {
        return new DocumentParser();
    }

    /** Tika is loaded lazily to keep it out of start-up; load it right after instead, off the main thread. */
    @EventListener(ApplicationReadyEvent.class)
    void warmUpParsers() {
        DaemonThreads.named("engage-parser-warm-up").newThread(DocumentParser::warmUp).start();
    }

    @Bean
    Chunker chunker() {
        return Chunker.defaults();
    }

    @Bean
    WebPageFetcher webPageFetcher(KnowledgeProperties properties) {
        return new WebPageFetcher(properties.fetchTimeout(), properties.fetchMaxSize().toBytes(),
                properties.fetchAllowPrivateAddresses());
    }
}
