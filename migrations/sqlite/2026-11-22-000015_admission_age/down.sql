DROP INDEX admissions_age_idx;
