-- End-users of an agent (the visitors who talk to it). Rows are created on first contact by the agent runtime.
CREATE TABLE end_users (
    id             UUID PRIMARY KEY,
    agent_id       UUID NOT NULL REFERENCES agents (id) ON DELETE CASCADE,
    company_id     UUID NOT NULL REFERENCES companies (id) ON DELETE CASCADE,
    external_id    VARCHAR(200) NOT NULL,
    name           VARCHAR(200),
    email          VARCHAR(320),
    blocked        BOOLEAN NOT NULL DEFAULT FALSE,
    first_seen_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    last_seen_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT end_users_agent_external_unique UNIQUE (agent_id, external_id)
);
CREATE INDEX end_users_company_idx ON end_users (company_id);
