-- Every day of every organization since 1945-01-01 (or its founding) up to the latest date of
-- leaders_dates, with the head in charge that day (docs/leaders.md): leaders_spells, one row per
-- day, for questions asked of single days. The counts of the other views are taken from the
-- spells' ends, not from these rows.
CREATE VIEW leaders_days AS
SELECT s.organization_id, CAST(g.d AS DATE) AS day, s.tenure_id, s.person, s.gender,
       s.nationality_iso3, s.acting
FROM leaders_spells s, generate_series(s.first_day, s.last_day, INTERVAL 1 DAY) g(d);
COMMENT ON VIEW leaders_days IS 'One row per organization and day since 1945 (or its founding) with the head in charge that day, NULL when no dated tenure covers it (docs/leaders.md).';
COMMENT ON COLUMN leaders_days.organization_id IS 'The organization.';
COMMENT ON COLUMN leaders_days.day IS 'The day.';
COMMENT ON COLUMN leaders_days.tenure_id IS 'The tenure in charge (leaders_tenures.tenure_id), NULL when no known head.';
COMMENT ON COLUMN leaders_days.person IS 'The head in charge.';
COMMENT ON COLUMN leaders_days.gender IS 'Their gender (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_days.nationality_iso3 IS 'Their nationality (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_days.acting IS 'Whether the head in charge was acting.';
