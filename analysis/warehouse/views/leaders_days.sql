-- Every day of every organization since 1945-01-01 (or its founding, or its first tabled head
-- when a predecessor's heads are tabled under it) up to the latest date of leaders_dates (or the
-- day it ceased to exist), with the head in charge that day (docs/leaders.md). On a day two
-- tenures cover, a non-acting head comes before an acting one, then the incumbent (the earlier
-- start) until the end its row records. Days no
-- dated tenure covers have no head (a vacancy or a tenure whose dates are unknown).
CREATE VIEW leaders_days AS
WITH bounds AS (
    SELECT o.organization_id,
           greatest(DATE '1945-01-01',
                    least(CAST(CASE length(o.founded_date)
                                   WHEN 4 THEN o.founded_date || '-01-01'
                                   WHEN 7 THEN o.founded_date || '-01'
                                   ELSE o.founded_date END AS DATE),
                          min(t.start_day))) AS first_day,
           least((SELECT max(as_of) FROM leaders_dates),
                 CAST(CASE length(o.valid_to) WHEN 4 THEN o.valid_to || '-01-01'
                                              WHEN 7 THEN o.valid_to || '-01'
                                              ELSE o.valid_to END AS DATE)) AS last_day
    FROM ref_multilateral_organizations o
    LEFT JOIN leaders_tenures t USING (organization_id)
    GROUP BY o.organization_id, o.founded_date, o.valid_to
),
days AS (
    SELECT b.organization_id, CAST(g.d AS DATE) AS day
    FROM bounds b, generate_series(b.first_day, b.last_day, INTERVAL 1 DAY) g(d)
)
SELECT days.organization_id, days.day, t.tenure_id, t.person, t.gender, t.nationality_iso3,
       t.acting
FROM days
LEFT JOIN (SELECT *, CASE WHEN sitting THEN DATE '9999-12-31' ELSE end_day END AS last_day
           FROM leaders_tenures WHERE dated) t
       ON t.organization_id = days.organization_id
      AND days.day BETWEEN t.start_day AND t.last_day
QUALIFY row_number() OVER (PARTITION BY days.organization_id, days.day
                           ORDER BY t.acting NULLS LAST, t.start_day NULLS LAST) = 1;
COMMENT ON VIEW leaders_days IS 'One row per organization and day since 1945 (or its founding) with the head in charge that day, NULL when no dated tenure covers it (docs/leaders.md).';
COMMENT ON COLUMN leaders_days.organization_id IS 'The organization.';
COMMENT ON COLUMN leaders_days.day IS 'The day.';
COMMENT ON COLUMN leaders_days.tenure_id IS 'The tenure in charge (leaders_tenures.tenure_id), NULL when no known head.';
COMMENT ON COLUMN leaders_days.person IS 'The head in charge.';
COMMENT ON COLUMN leaders_days.gender IS 'Their gender (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_days.nationality_iso3 IS 'Their nationality (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_days.acting IS 'Whether the head in charge was acting.';
