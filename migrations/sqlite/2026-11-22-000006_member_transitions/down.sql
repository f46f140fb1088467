DROP TABLE member_transitions;
