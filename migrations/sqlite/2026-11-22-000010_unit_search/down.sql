ALTER TABLE org_units DROP COLUMN search_name;
