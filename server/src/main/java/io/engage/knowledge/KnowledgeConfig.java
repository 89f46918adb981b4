package io.engage.knowledge;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The stateless, thread-safe parts of the pipeline, shared by request handling and the ingestion worker. */
@Configuration(proxyBeanMethods = false)
class KnowledgeConfig {

    @Bean
    DocumentParser documentParser() {
        return new DocumentParser();
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
