-- messages_company_idx served only the cascade of the foreign key to companies that V13 dropped: every query reads
-- messages by id or by conversation, and a company's messages go with its conversations. Dropped as dead weight
-- (about 40 bytes per message on disk, and one more index entry per stored message; its CPU cost was too small to
-- measure, since company and time grow together and every entry lands on the rightmost page).
DROP INDEX IF EXISTS messages_company_idx;
