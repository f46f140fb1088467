ALTER TABLE programme_items DROP COLUMN fills_from;
ALTER TABLE programmes DROP COLUMN is_template;
