DROP TABLE audit_log;
DROP TABLE role_assignments;
DROP TABLE org_units;
DROP TABLE refresh_tokens;
DROP TABLE users;
