DROP TABLE dues_payment_months;
DROP TABLE dues_payments;
DROP TABLE dues_rates;
ALTER TABLE members DROP COLUMN dues_class;
