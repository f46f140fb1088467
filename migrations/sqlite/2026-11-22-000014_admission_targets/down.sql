DROP INDEX admissions_ceremony_idx;
DROP TABLE admission_targets;
