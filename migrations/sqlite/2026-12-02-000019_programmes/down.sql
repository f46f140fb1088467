DROP TABLE programme_counts;
DROP TABLE programme_progress;
DROP TABLE programme_commitments;
DROP TABLE programme_registration_items;
DROP TABLE programme_registrations;
DROP TABLE programme_items;
DROP TABLE programme_headings;
DROP TABLE programmes;
