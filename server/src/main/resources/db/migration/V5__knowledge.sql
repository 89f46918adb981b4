-- Knowledge sources of agents, their raw content (kept until ingestion is done so a job can be resumed), the chunks
-- with their embeddings (source of truth for the retrieval indexes), and a per-agent knowledge version that tells
-- every node when its cached index is stale.
CREATE TABLE knowledge_sources (
    id            UUID PRIMARY KEY,
    agent_id      UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    company_id    UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    type          VARCHAR(10)  NOT NULL,
    title         VARCHAR(500) NOT NULL,
    external_id   VARCHAR(500),
    url           VARCHAR(2000),
    filename      VARCHAR(500),
    media_type    VARCHAR(200),
    content_hash  VARCHAR(64)  NOT NULL,
    byte_size     BIGINT       NOT NULL,
    status        VARCHAR(10)  NOT NULL,
    error         VARCHAR(2000),
    chunk_count   INTEGER      NOT NULL DEFAULT 0,
    attempts      INTEGER      NOT NULL DEFAULT 0,
    lease_owner   VARCHAR(100),
    lease_until   TIMESTAMP WITH TIME ZONE,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT knowledge_sources_type_check CHECK (type IN ('text', 'faq', 'url', 'file')),
    CONSTRAINT knowledge_sources_status_check
        CHECK (status IN ('queued', 'parsing', 'indexing', 'ready', 'failed')),
    CONSTRAINT knowledge_sources_hash_unique UNIQUE (agent_id, content_hash),
    CONSTRAINT knowledge_sources_external_unique UNIQUE (agent_id, external_id)
);
CREATE INDEX knowledge_sources_agent_idx ON knowledge_sources (agent_id, id);
CREATE INDEX knowledge_sources_status_idx ON knowledge_sources (status, id);

CREATE TABLE knowledge_source_content (
    source_id  UUID PRIMARY KEY REFERENCES knowledge_sources (id) ON DELETE CASCADE,
    content    BYTEA NOT NULL
);

CREATE TABLE knowledge_chunks (
    id            UUID PRIMARY KEY,
    source_id     UUID NOT NULL REFERENCES knowledge_sources (id) ON DELETE CASCADE,
    agent_id      UUID NOT NULL,
    company_id    UUID NOT NULL,
    ordinal       INTEGER NOT NULL,
    text          VARCHAR NOT NULL,
    heading_path  VARCHAR(2000) NOT NULL DEFAULT '',
    -- all-MiniLM-L6-v2: 384 float32, little-endian
    embedding     BYTEA NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX knowledge_chunks_agent_idx ON knowledge_chunks (agent_id, source_id, ordinal);
CREATE INDEX knowledge_chunks_source_idx ON knowledge_chunks (source_id);

CREATE TABLE knowledge_versions (
    agent_id  UUID PRIMARY KEY REFERENCES agents (id) ON DELETE CASCADE,
    version   BIGINT NOT NULL
);
