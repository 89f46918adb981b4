-- One-time codes that hand an OIDC sign-in over to the portal: the identity provider's callback stores one (SHA-256
-- of the code, and of the browser-binding value kept in a cookie), the portal exchanges it for tokens once, within a
-- minute. In the database so that any node can redeem a code another node issued. family_id names the refresh-token
-- family issued on redemption: presenting the code again revokes that family (RFC 6749 section 4.1.2).
CREATE TABLE oidc_login_codes (
    code_hash     VARCHAR(64) PRIMARY KEY,
    binding_hash  VARCHAR(64) NOT NULL,
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    provider      VARCHAR(64) NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    expires_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    used_at       TIMESTAMP WITH TIME ZONE,
    family_id     UUID
);
CREATE INDEX oidc_login_codes_expires_idx ON oidc_login_codes (expires_at);
