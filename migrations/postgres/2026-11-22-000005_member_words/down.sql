DROP TABLE member_words;
