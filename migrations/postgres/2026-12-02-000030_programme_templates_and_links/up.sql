-- A programme published as a template: its units copy and adapt it; members do not register for it.
ALTER TABLE programmes ADD COLUMN is_template BOOLEAN NOT NULL DEFAULT FALSE;
-- An item that fills its progress by itself: 'class:<kind>', a class of that kind passed.
ALTER TABLE programme_items ADD COLUMN fills_from TEXT;
