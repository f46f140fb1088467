DROP INDEX meetings_kind_path;
DROP TABLE removal_candidates;
