-- Companies (tenants) and their users. Platform admins have no company.
-- SQL here runs unchanged on PostgreSQL 15+ and on H2 2.x (MODE=PostgreSQL).
CREATE TABLE companies (
    id          UUID PRIMARY KEY,
    name        VARCHAR(200) NOT NULL,
    status      VARCHAR(20)  NOT NULL DEFAULT 'active',
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE users (
    id             UUID PRIMARY KEY,
    company_id     UUID REFERENCES companies (id) ON DELETE CASCADE,
    email          VARCHAR(320) NOT NULL,
    password_hash  VARCHAR(200) NOT NULL,
    role           VARCHAR(30)  NOT NULL,
    created_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    last_login_at  TIMESTAMP WITH TIME ZONE,
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_role_check CHECK (role IN ('PLATFORM_ADMIN', 'COMPANY_ADMIN', 'COMPANY_MEMBER')),
    CONSTRAINT users_company_check CHECK ((role = 'PLATFORM_ADMIN') = (company_id IS NULL))
);
CREATE INDEX users_company_idx ON users (company_id);
