DROP TABLE unit_month_counts;
