-- A platform admin can disable an agent (abuse, unpaid, compromised): it stops answering everywhere until enabled
-- again. Set only through the Admin API; the company's own status (draft/published) is untouched.
ALTER TABLE agents ADD COLUMN disabled_at TIMESTAMP WITH TIME ZONE;
