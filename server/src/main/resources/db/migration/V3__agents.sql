-- AI agents and their widget API keys. company_id is on every row so every query can filter by tenant.
CREATE TABLE agents (
    id                         UUID PRIMARY KEY,
    company_id                 UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    name                       VARCHAR(100) NOT NULL,
    description                VARCHAR(1000) NOT NULL DEFAULT '',
    system_prompt              VARCHAR(8000) NOT NULL DEFAULT '',
    greeting                   VARCHAR(500) NOT NULL DEFAULT '',
    tone                       VARCHAR(30) NOT NULL,
    language                   VARCHAR(35) NOT NULL,
    fallback_message           VARCHAR(1000) NOT NULL,
    status                     VARCHAR(20) NOT NULL,
    llm_provider               VARCHAR(30) NOT NULL,
    llm_model                  VARCHAR(200),
    llm_base_url               VARCHAR(2000),
    llm_api_key_enc            VARCHAR(4000),
    llm_temperature            DOUBLE PRECISION NOT NULL,
    llm_max_tokens             INTEGER NOT NULL,
    retrieval_top_k            INTEGER NOT NULL,
    retrieval_min_score        DOUBLE PRECISION NOT NULL,
    widget_mode                VARCHAR(20) NOT NULL,
    widget_title               VARCHAR(100) NOT NULL DEFAULT '',
    widget_primary_color       VARCHAR(7) NOT NULL,
    widget_position            VARCHAR(20) NOT NULL,
    widget_suggested_questions VARCHAR(8000) NOT NULL DEFAULT '[]',
    widget_allowed_origins     VARCHAR(8000) NOT NULL DEFAULT '[]',
    identity_enabled           BOOLEAN NOT NULL DEFAULT FALSE,
    identity_secret_enc        VARCHAR(4000),
    limit_requests_per_minute  INTEGER NOT NULL,
    limit_per_end_user_per_minute INTEGER NOT NULL,
    created_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at                 TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT agents_status_check CHECK (status IN ('draft', 'published'))
);
CREATE INDEX agents_company_idx ON agents (company_id, id);

CREATE TABLE agent_api_keys (
    id            UUID PRIMARY KEY,
    agent_id      UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    company_id    UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    prefix        VARCHAR(20) NOT NULL,
    key_hash      VARCHAR(64) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at    TIMESTAMP WITH TIME ZONE,
    last_used_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT agent_api_keys_hash_unique UNIQUE (key_hash)
);
CREATE INDEX agent_api_keys_agent_idx ON agent_api_keys (agent_id);
