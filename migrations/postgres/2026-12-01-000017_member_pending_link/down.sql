DROP INDEX members_pending_user_id_idx;
ALTER TABLE members DROP COLUMN pending_user_id;
