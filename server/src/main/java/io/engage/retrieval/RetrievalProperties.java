package io.engage.retrieval;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code engage.retrieval.*}. */
@ConfigurationProperties(prefix = "engage.retrieval")
record RetrievalProperties(
        /* chunks kept in memory across all cached agent indexes of this node */
        @DefaultValue("2000000") long maxCachedChunks,
        /* candidates each side (BM25, vectors) proposes to the fusion */
        @DefaultValue("50") int candidates,
        /* indexes up to this many chunks are rebuilt before the search that finds them stale; larger ones in the
           background while searches use the previous version */
        @DefaultValue("20000") int syncRebuildLimit,
        /* convex (score blend) or rrf (reciprocal rank fusion) */
        @DefaultValue("convex") String fusion,
        /* weight of the vector similarity in the convex blend; the keyword coverage gets the rest */
        @DefaultValue("0.7") double vectorWeight,
        /* search results remembered per node, per agent knowledge version (a new version misses the cache) */
        @DefaultValue("20000") int resultCacheSize) {

    AgentIndex.Fusion toFusion() {
        AgentIndex.Fusion.Kind kind = "rrf".equalsIgnoreCase(fusion) ? AgentIndex.Fusion.Kind.RRF
                : AgentIndex.Fusion.Kind.CONVEX;
        if (vectorWeight < 0 || vectorWeight > 1) {
            throw new IllegalStateException("engage.retrieval.vector-weight must be between 0 and 1");
        }
        return new AgentIndex.Fusion(kind, vectorWeight);
    }
}
