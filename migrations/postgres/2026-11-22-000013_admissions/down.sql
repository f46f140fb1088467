DROP TABLE admission_events;
DROP TABLE admissions;
