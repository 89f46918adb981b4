-- Analytics: a raw event log (kept for a configurable retention period) and rollups derived from it in the same
-- transaction (kept for good), so that dashboards over months read thousands of rollup rows, not millions of events.
-- Every row carries company_id and agent_id; deleting an agent or a company deletes its analytics. The rollup, user
-- set and question tables have no foreign key to agents (the analytics module deletes their rows on AgentDeleted):
-- H2 plans a prepared UPDATE by (…, agent_id, …) on the foreign key's own agent_id index instead of the primary key,
-- and then scans every row of the agent.

-- The raw log: one row per conversation start, answered turn, feedback vote and widget event.
CREATE TABLE analytics_events (
    id               UUID PRIMARY KEY,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    end_user_id      UUID,
    conversation_id  UUID,
    message_id       UUID,
    type             VARCHAR(30) NOT NULL,
    occurred_at      TIMESTAMP WITH TIME ZONE NOT NULL,
    -- turns: the question and how it was answered
    question         VARCHAR(4000),
    latency_ms       INTEGER,
    tokens_in        INTEGER,
    tokens_out       INTEGER,
    cost_nanos       BIGINT,
    provider         VARCHAR(30),
    model            VARCHAR(200),
    grounded         BOOLEAN,
    handoff          BOOLEAN,
    gap              BOOLEAN,
    fallback         BOOLEAN,
    cancelled        BOOLEAN,
    -- feedback: +1 / -1; widget events: their value (feedback: the comment)
    score            SMALLINT,
    event_value      VARCHAR(2000)
);
-- the only index besides the key (every index costs each recorded event): retention deletes per company by time
CREATE INDEX analytics_events_company_idx ON analytics_events (company_id, occurred_at);

-- Additive figures per agent and hour (grain 'h') and per agent and UTC day (grain 'd').
-- lat_00..lat_26 count answers per latency bucket (bounds in LatencyBuckets), for percentiles over any range.
-- end_users: distinct end-users of the agent in that hour/day (additive across agents, not across buckets).
CREATE TABLE analytics_rollups (
    grain              VARCHAR(1) NOT NULL,
    bucket_start       TIMESTAMP WITH TIME ZONE NOT NULL,
    company_id         UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id           UUID NOT NULL,
    conversations      BIGINT NOT NULL DEFAULT 0,
    unresolved         BIGINT NOT NULL DEFAULT 0,
    conversations_ended BIGINT NOT NULL DEFAULT 0,
    messages           BIGINT NOT NULL DEFAULT 0,
    answered           BIGINT NOT NULL DEFAULT 0,
    gaps               BIGINT NOT NULL DEFAULT 0,
    handoffs           BIGINT NOT NULL DEFAULT 0,
    fallbacks          BIGINT NOT NULL DEFAULT 0,
    cancelled          BIGINT NOT NULL DEFAULT 0,
    tokens_in          BIGINT NOT NULL DEFAULT 0,
    tokens_out         BIGINT NOT NULL DEFAULT 0,
    cost_nanos         BIGINT NOT NULL DEFAULT 0,
    latency_sum_ms     BIGINT NOT NULL DEFAULT 0,
    feedback_up        BIGINT NOT NULL DEFAULT 0,
    feedback_down      BIGINT NOT NULL DEFAULT 0,
    widget_opens       BIGINT NOT NULL DEFAULT 0,
    link_clicks        BIGINT NOT NULL DEFAULT 0,
    handoff_requests   BIGINT NOT NULL DEFAULT 0,
    end_users          BIGINT NOT NULL DEFAULT 0,
    lat_00 BIGINT NOT NULL DEFAULT 0, lat_01 BIGINT NOT NULL DEFAULT 0, lat_02 BIGINT NOT NULL DEFAULT 0,
    lat_03 BIGINT NOT NULL DEFAULT 0, lat_04 BIGINT NOT NULL DEFAULT 0, lat_05 BIGINT NOT NULL DEFAULT 0,
    lat_06 BIGINT NOT NULL DEFAULT 0, lat_07 BIGINT NOT NULL DEFAULT 0, lat_08 BIGINT NOT NULL DEFAULT 0,
    lat_09 BIGINT NOT NULL DEFAULT 0, lat_10 BIGINT NOT NULL DEFAULT 0, lat_11 BIGINT NOT NULL DEFAULT 0,
    lat_12 BIGINT NOT NULL DEFAULT 0, lat_13 BIGINT NOT NULL DEFAULT 0, lat_14 BIGINT NOT NULL DEFAULT 0,
    lat_15 BIGINT NOT NULL DEFAULT 0, lat_16 BIGINT NOT NULL DEFAULT 0, lat_17 BIGINT NOT NULL DEFAULT 0,
    lat_18 BIGINT NOT NULL DEFAULT 0, lat_19 BIGINT NOT NULL DEFAULT 0, lat_20 BIGINT NOT NULL DEFAULT 0,
    lat_21 BIGINT NOT NULL DEFAULT 0, lat_22 BIGINT NOT NULL DEFAULT 0, lat_23 BIGINT NOT NULL DEFAULT 0,
    lat_24 BIGINT NOT NULL DEFAULT 0, lat_25 BIGINT NOT NULL DEFAULT 0, lat_26 BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (grain, agent_id, bucket_start)
);
CREATE INDEX analytics_rollups_company_idx ON analytics_rollups (grain, company_id, bucket_start);
CREATE INDEX analytics_rollups_time_idx ON analytics_rollups (grain, bucket_start);

-- Unique end-users are not additive over time: each agent's hour/day keeps the set of its active end-users as a
-- Roaring bitmap of small integer ordinals, and a range's unique end-users is the size of the union of its sets.
CREATE SEQUENCE analytics_user_ordinal_seq;
CREATE TABLE analytics_user_ordinals (
    end_user_id      UUID PRIMARY KEY,
    ordinal          INTEGER NOT NULL UNIQUE
);
CREATE TABLE analytics_user_sets (
    grain            VARCHAR(1) NOT NULL,
    bucket_start     TIMESTAMP WITH TIME ZONE NOT NULL,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL,
    users            BYTEA NOT NULL,
    PRIMARY KEY (grain, agent_id, bucket_start)
);
CREATE INDEX analytics_user_sets_company_idx ON analytics_user_sets (grain, company_id, bucket_start);
CREATE INDEX analytics_user_sets_time_idx ON analytics_user_sets (grain, bucket_start);

-- Questions per agent and day by normalised text; past days keep their most asked ones (see AnalyticsMaintenance).
CREATE TABLE analytics_questions (
    day_start        TIMESTAMP WITH TIME ZONE NOT NULL,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL,
    question_key     VARCHAR(500) NOT NULL,
    question         VARCHAR(1000) NOT NULL,
    asked            BIGINT NOT NULL DEFAULT 0,
    answered         BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (agent_id, day_start, question_key)
);
CREATE INDEX analytics_questions_company_idx ON analytics_questions (company_id, day_start);

-- Per-conversation state behind the resolution rate: a conversation counts as unresolved (in the hour it started)
-- while it has a handoff or an answer whose latest vote is negative.
CREATE TABLE analytics_conversations (
    conversation_id  UUID PRIMARY KEY,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    started_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    handoff          BOOLEAN NOT NULL DEFAULT FALSE,
    down_votes       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX analytics_conversations_time_idx ON analytics_conversations (started_at);

-- The latest vote per answer: a new vote replaces it (and is taken back from the rollups where it counted).
CREATE TABLE analytics_votes (
    message_id       UUID PRIMARY KEY,
    company_id       UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id         UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    event_id         UUID NOT NULL,
    score            SMALLINT NOT NULL,
    voted_at         TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Knowledge gaps: questions the agent could not ground, with the embedding they are clustered by.
CREATE TABLE analytics_gaps (
    id                   UUID PRIMARY KEY,
    company_id           UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    agent_id             UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    conversation_id      UUID,
    message_id           UUID,
    question             VARCHAR(4000) NOT NULL,
    embedding            BYTEA NOT NULL,
    asked_at             TIMESTAMP WITH TIME ZONE NOT NULL,
    resolved_at          TIMESTAMP WITH TIME ZONE,
    knowledge_source_id  UUID
);
CREATE INDEX analytics_gaps_agent_idx ON analytics_gaps (company_id, agent_id, asked_at);

-- One row. rebuild_requested: the rollups must be rebuilt from the raw events (after this migration's backfill, or
-- set by an operator); the node that clears it rebuilds them. questions_pruned_until: days before it keep only
-- their most asked questions.
CREATE TABLE analytics_state (
    id                      INTEGER PRIMARY KEY,
    rebuild_requested       BOOLEAN NOT NULL,
    questions_pruned_until  TIMESTAMP WITH TIME ZONE
);

-- Backfill: what the agent runtime stored before analytics existed becomes raw events.
INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, type, occurred_at)
SELECT c.id, c.company_id, c.agent_id, c.end_user_id, c.id, 'conversation_start', c.started_at
FROM conversations c;

INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id, type, occurred_at,
    question, latency_ms, tokens_in, tokens_out, cost_nanos, provider, model, grounded, handoff, gap, fallback,
    cancelled)
SELECT a.id, a.company_id, a.agent_id, c.end_user_id, a.conversation_id, a.id, 'turn', a.created_at,
    (SELECT u.content FROM messages u WHERE u.conversation_id = a.conversation_id AND u.role = 'user'
       AND u.id < a.id ORDER BY u.id DESC LIMIT 1),
    a.latency_ms, a.tokens_in, a.tokens_out, 0, a.provider, a.model, COALESCE(a.grounded, FALSE),
    COALESCE(a.handoff, FALSE), FALSE, COALESCE(a.fallback, FALSE), a.cancelled
FROM messages a JOIN conversations c ON c.id = a.conversation_id
WHERE a.role = 'assistant';

INSERT INTO analytics_events (id, company_id, agent_id, end_user_id, conversation_id, message_id, type, occurred_at,
    score, event_value)
SELECT e.id, e.company_id, e.agent_id, e.end_user_id,
    COALESCE(e.conversation_id, (SELECT m.conversation_id FROM messages m WHERE m.id = e.message_id)),
    e.message_id, e.type, e.created_at,
    CASE WHEN e.type = 'feedback' AND e.event_value = 'up' THEN 1
         WHEN e.type = 'feedback' AND e.event_value = 'down' THEN -1 END,
    CASE WHEN e.type = 'feedback' THEN NULL ELSE e.event_value END
FROM agent_events e WHERE e.type <> 'conversation_start';

DROP TABLE agent_events;

INSERT INTO analytics_state (id, rebuild_requested)
SELECT 1, EXISTS (SELECT 1 FROM analytics_events);
