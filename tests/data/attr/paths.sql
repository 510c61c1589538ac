-- paths.sql: aggregate a touchpoints table into ChannelAttribution's paths format
-- (path, total_conversions, total_conversion_value, total_null), for
-- `revreport` / rr_paths_read_csv(file, ',', " > ").  Runs on SQLite >= 3.25
-- (window functions); on PostgreSQL replace group_concat(...) OVER (...) with
-- string_agg(channel, ' > ' ORDER BY <the same keys>) in a GROUP BY, and
-- julianday(x) with the date arithmetic of your warehouse.
--
-- Journey rules (docs/attribution.md, include/revreport/journey.h, the same
-- in the report): touches matched by opportunity_id; the window is 00:00 of
-- created_date - 365 days up to the last second of close_date (open
-- opportunities: their expected close_date; none given: no upper bound); time
-- order; touches at the same instant by channel, then campaign_id, then
-- milestone (byte order, empty first), then row.
-- Won = conversion (value = amount); closed and not won = null path; open
-- opportunities give rows with 0 and 0 (add them to total_null to treat open
-- pipeline as non-converting).  Opportunities with no touch in the window give
-- no row: count them separately ("no touch").
WITH touches AS (
    SELECT t.opportunity_id, t.channel, t.timestamp, t.campaign_id, t.milestone, t.rowid AS row
    FROM touchpoints t
    JOIN opportunities o ON o.opportunity_id = t.opportunity_id
    WHERE julianday(t.timestamp) >= julianday(o.created_date) - 365
      AND (o.close_date IS NULL OR o.close_date = ''
           OR julianday(t.timestamp) < julianday(o.close_date) + 1)
),
journeys AS (
    SELECT DISTINCT opportunity_id,
           group_concat(channel, ' > ') OVER (
               PARTITION BY opportunity_id
               ORDER BY julianday(timestamp), channel, coalesce(campaign_id, ''), coalesce(milestone, ''), row
               ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS path
    FROM touches
)
SELECT j.path AS path,
       SUM(CASE WHEN o.is_won = 1 THEN 1 ELSE 0 END) AS total_conversions,
       SUM(CASE WHEN o.is_won = 1 THEN o.amount ELSE 0 END) AS total_conversion_value,
       SUM(CASE WHEN o.is_closed = 1 AND o.is_won = 0 THEN 1 ELSE 0 END) AS total_null
FROM journeys j
JOIN opportunities o ON o.opportunity_id = j.opportunity_id
GROUP BY j.path
ORDER BY j.path;
