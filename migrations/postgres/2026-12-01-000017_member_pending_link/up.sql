-- The account a cadre named when creating a member record: the record is linked to it only
-- when the account holder confirms (POST /members/{id}/link/confirm), never on the cadre's word.
-- Keep in step with ../../sqlite/2026-12-01-000017_member_pending_link/up.sql.
ALTER TABLE members ADD COLUMN pending_user_id BIGINT REFERENCES users (id);
CREATE INDEX members_pending_user_id_idx ON members (pending_user_id);
