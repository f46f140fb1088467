DROP TABLE positions;
