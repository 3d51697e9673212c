-- Questions analysts ask of Pond's topics, in Flink SQL over the tables of pond-tables.sql.
-- Run them in the SQL client after the tables (see the README's "SQL" section). Each one runs
-- live: as records arrive, its result moves. The first comment line of each names it; FlinkSqlIT
-- runs every named one here and checks its result.
--
-- Hours and days are those of the session's time zone: SET 'table.local-time-zone' = 'UTC';
-- for UTC ones.

-- triggers by type per hour
SELECT `type`, FLOOR(firedAt TO HOUR) AS `hour`, COUNT(*) AS triggers
FROM triggers
GROUP BY `type`, FLOOR(firedAt TO HOUR);

-- current members per segment
-- The latest count of each segment (segments it has emptied are left out).
SELECT segment, members
FROM (
  SELECT segment, members,
         ROW_NUMBER() OVER (PARTITION BY segment ORDER BY windowEnd DESC) AS latest
  FROM segments)
WHERE latest = 1 AND members > 0;

-- current members per segment, from the profiles
-- The same from each user's latest profile: both agree once the job's output has settled.
SELECT tag AS segment, COUNT(*) AS members
FROM profiles CROSS JOIN UNNEST(tags) AS t (tag)
WHERE tag LIKE 'lifecycle:%' OR tag LIKE 'rfm:%' OR tag LIKE 'tier:%' OR tag LIKE 'interest:%'
GROUP BY tag;

-- entered and exited per segment per day
SELECT segment, FLOOR(windowEnd TO DAY) AS `day`, SUM(entered) AS entered, SUM(exited) AS exited
FROM segments
GROUP BY segment, FLOOR(windowEnd TO DAY);

-- sleeping-share alerts
SELECT windowEnd, raised, share, numerator, denominator
FROM alerts
WHERE alert = 'sleeping-share';

-- dead letters by reason
SELECT sourceTopic, REGEXP_EXTRACT(error, '^([a-z]+: [^:]*)', 1) AS reason, COUNT(*) AS records
FROM dead_letters
GROUP BY sourceTopic, REGEXP_EXTRACT(error, '^([a-z]+: [^:]*)', 1);
