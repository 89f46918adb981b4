-- Audit log of admin and company actions: who, what, when, from where. company_id has no foreign key on purpose:
-- entries outlive the company they concern. details is a small JSON object that never holds secrets.
CREATE TABLE audit_log (
    id             UUID PRIMARY KEY,
    occurred_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    actor_user_id  UUID,
    actor_email    VARCHAR(320),
    actor_role     VARCHAR(32),
    company_id     UUID,
    action         VARCHAR(64) NOT NULL,
    target_type    VARCHAR(64),
    target_id      VARCHAR(200),
    ip             VARCHAR(64),
    user_agent     VARCHAR(300),
    details        VARCHAR(2000)
);
CREATE INDEX audit_log_occurred_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_company_occurred_idx ON audit_log (company_id, occurred_at);
