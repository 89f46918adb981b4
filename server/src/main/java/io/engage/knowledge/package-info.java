/**
 * Knowledge: each agent's sources (text, FAQ pairs, web pages, files), their ingestion as resumable background jobs
 * (parse → chunk → embed), and the stored chunks with their embeddings, which are the source of truth for retrieval.
 * Public face: {@link io.engage.knowledge.KnowledgeService} (what retrieval reads), {@link io.engage.knowledge.Embedder},
 * the {@link io.engage.knowledge.KnowledgeSource}, {@link io.engage.knowledge.StoredChunk} and
 * {@link io.engage.knowledge.FaqEntry} records.
 */
package io.engage.knowledge;
