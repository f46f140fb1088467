ALTER TABLE programmes DROP COLUMN is_template;
