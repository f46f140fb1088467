-- The tails of each member's folded name from every word on ("nguyen van duc", "van duc", "duc"),
-- so a name search is one prefix range of an index instead of reading every name of the subtree (PostgreSQL).
-- Filled for the members already stored right after this migration runs (db::migrate → rebuild_words).
-- Keep in step with ../../sqlite/2026-11-22-000005_member_words/up.sql.
CREATE TABLE member_words (
    word      TEXT COLLATE "C" NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (word, member_id)
);
CREATE INDEX member_words_member_id_idx ON member_words (member_id);
