-- The words of each member's folded name, so a name search starts from the members having the
-- typed word (or a word it begins) instead of reading every name of the subtree (SQLite).
-- Filled by the server at start-up for members that have none (see db::members::rebuild_words).
-- Keep in step with ../../postgres/2026-11-22-000005_member_words/up.sql.
CREATE TABLE member_words (
    word      TEXT NOT NULL,
    member_id BIGINT NOT NULL REFERENCES members (id) ON DELETE CASCADE,
    PRIMARY KEY (word, member_id)
);
CREATE INDEX member_words_member_id_idx ON member_words (member_id);
