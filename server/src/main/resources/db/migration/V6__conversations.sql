-- Agent runtime: interaction protocol settings of agents, conversations with their messages (every turn, for
-- transcripts and analytics) and widget events. company_id is on every row so every query can filter by tenant.
ALTER TABLE agents ADD COLUMN allowed_topics VARCHAR(8000) NOT NULL DEFAULT '[]';
ALTER TABLE agents ADD COLUMN handoff_message VARCHAR(1000) NOT NULL
    DEFAULT 'I''ll pass this conversation to a person from our team; they will get back to you here as soon as possible.';

ALTER TABLE end_users ADD COLUMN conversation_count BIGINT NOT NULL DEFAULT 0;

CREATE TABLE conversations (
    id               UUID PRIMARY KEY,
    agent_id         UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    end_user_id      UUID NOT NULL REFERENCES end_users (id) ON DELETE CASCADE,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    last_message_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    message_count    INTEGER NOT NULL DEFAULT 0,
    handoff          BOOLEAN NOT NULL DEFAULT FALSE
);
CREATE INDEX conversations_end_user_idx ON conversations (end_user_id, id);
CREATE INDEX conversations_agent_idx ON conversations (company_id, agent_id, id);

-- content is plain text for now; encryption at rest of transcripts (issue 8) re-encodes this column in place
-- (values then carry the SecretCipher "v1.<keyId>." prefix), which is why it has no length limit.
CREATE TABLE messages (
    id               UUID PRIMARY KEY,
    conversation_id  UUID NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    role             VARCHAR(10) NOT NULL,
    content          VARCHAR NOT NULL,
    retrieval_query  VARCHAR(8000),
    citations        VARCHAR NOT NULL DEFAULT '[]',
    grounded         BOOLEAN,
    handoff          BOOLEAN,
    fallback         BOOLEAN,
    fallback_reason  VARCHAR(500),
    provider         VARCHAR(30),
    model            VARCHAR(200),
    tokens_in        INTEGER,
    tokens_out       INTEGER,
    latency_ms       INTEGER,
    cancelled        BOOLEAN NOT NULL DEFAULT FALSE,
    feedback         SMALLINT,
    feedback_comment VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT messages_role_check CHECK (role IN ('user', 'assistant'))
);
CREATE INDEX messages_conversation_idx ON messages (conversation_id, id);
CREATE INDEX messages_company_idx ON messages (company_id, created_at);

CREATE TABLE agent_events (
    id               UUID PRIMARY KEY,
    agent_id         UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    end_user_id      UUID REFERENCES end_users (id) ON DELETE CASCADE,
    conversation_id  UUID REFERENCES conversations (id) ON DELETE CASCADE,
    message_id       UUID REFERENCES messages (id) ON DELETE CASCADE,
    type             VARCHAR(40) NOT NULL,
    event_value      VARCHAR(2000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL
);
CREATE INDEX agent_events_company_idx ON agent_events (company_id, created_at);
