-- schema.sql: the two tables paths.sql reads (test fixture for tests/attr_sql.sh).
CREATE TABLE touchpoints (touchpoint_id INTEGER, timestamp TEXT, channel TEXT, campaign_id TEXT,
                          contact_id TEXT, account_id TEXT, opportunity_id TEXT, milestone TEXT);
CREATE TABLE opportunities (opportunity_id TEXT, account_id TEXT, is_won INTEGER, is_closed INTEGER,
                            amount REAL, created_date TEXT, close_date TEXT);
