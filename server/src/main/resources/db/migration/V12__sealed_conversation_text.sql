-- Encryption at rest of what visitors and the model wrote: these columns now hold AES-256-GCM sealed values
-- ("v1.<keyId>.<base64url>", about 4/3 of the UTF-8 size plus 40 characters), so they lose their length limits
-- (the application still truncates the plain text to the old limits before sealing). Rows written before this
-- version stay readable as plain text until `java -jar engage.jar reencrypt` seals them. In PostgreSQL widening a
-- VARCHAR is a catalogue change only: no table rewrite.
ALTER TABLE messages ALTER COLUMN retrieval_query SET DATA TYPE VARCHAR;
ALTER TABLE messages ALTER COLUMN feedback_comment SET DATA TYPE VARCHAR;
ALTER TABLE analytics_events ALTER COLUMN question SET DATA TYPE VARCHAR;
ALTER TABLE analytics_events ALTER COLUMN event_value SET DATA TYPE VARCHAR;
ALTER TABLE analytics_questions ALTER COLUMN question SET DATA TYPE VARCHAR;
ALTER TABLE analytics_gaps ALTER COLUMN question SET DATA TYPE VARCHAR;
