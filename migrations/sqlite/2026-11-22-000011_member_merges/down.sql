DROP TABLE member_merges;
