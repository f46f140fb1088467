-- A programme published as a template: its units copy and adapt it; members do not register for it.
ALTER TABLE programmes ADD COLUMN is_template BOOLEAN NOT NULL DEFAULT FALSE;
