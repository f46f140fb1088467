DROP TABLE member_placements;
DROP TABLE member_transfers;
