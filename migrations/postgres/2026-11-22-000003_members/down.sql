DROP TABLE member_profiles;
DROP TABLE members;
