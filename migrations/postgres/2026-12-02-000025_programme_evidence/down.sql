DROP TABLE programme_evidence;
