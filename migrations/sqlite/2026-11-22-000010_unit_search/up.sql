-- Unit names folded for search (lowercase, no diacritics), filled by the server after migrating.
-- Keep in step with ../../postgres/2026-11-22-000010_unit_search/up.sql.
ALTER TABLE org_units ADD COLUMN search_name TEXT NOT NULL DEFAULT '';
