DROP TABLE unit_ratings;
DROP TABLE rating_revisions;
DROP TABLE rating_exclusions;
DROP TABLE ratings;
DROP TABLE rating_periods;
