/**
 * Retrieval: hybrid search over an agent's knowledge with Apache Lucene, BM25 over chunk text and titles plus HNSW
 * vector search over the chunk embeddings, fused by a score blend (or reciprocal rank fusion). Indexes are derived data: built in
 * memory from the database's chunks, cached per node and rebuilt when the agent's knowledge version changes, so any
 * number of nodes sharing one database answer alike. Public face: {@link io.engage.retrieval.RetrievalService} and
 * {@link io.engage.retrieval.SearchHit}.
 */
package io.engage.retrieval;
