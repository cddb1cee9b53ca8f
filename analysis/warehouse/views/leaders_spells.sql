-- Each organization's time since 1945-01-01 (or its founding, or its first tabled head when a
-- predecessor's heads are tabled under it) up to the latest date of leaders_dates (or the day it
-- ceased to exist), cut into spells during which the same head was in charge (docs/leaders.md):
-- a spell ends the day before a dated tenure begins or the day after one ends. On a day two
-- tenures cover, a non-acting head comes before an acting one, then the incumbent (the earlier
-- start) until the end its row records. Spells no dated tenure covers have no head (a vacancy
-- or a tenure whose dates are unknown). Counting days is arithmetic on the spells' ends.
CREATE VIEW leaders_spells AS
-- the tenures are read twice below: materialized, they are worked out once
WITH tenures AS MATERIALIZED (SELECT * FROM leaders_tenures),
bounds AS (
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
    LEFT JOIN tenures t USING (organization_id)
    GROUP BY o.organization_id, o.founded_date, o.valid_to
),
dated AS (
    SELECT *, CASE WHEN sitting THEN DATE '9999-12-31' ELSE end_day END AS last_day
    FROM tenures WHERE dated
),
cuts AS (  -- the days on which the set of tenures in office changes, inside the bounds
    SELECT b.organization_id, b.first_day AS day, b.last_day FROM bounds b
    WHERE b.first_day <= b.last_day
    UNION
    SELECT b.organization_id, c.day, b.last_day
    FROM bounds b
    JOIN dated t USING (organization_id)
    CROSS JOIN LATERAL (SELECT t.start_day AS day
                        UNION ALL
                        SELECT CAST(t.last_day + INTERVAL 1 DAY AS DATE)
                        WHERE t.last_day < DATE '9999-12-31') c
    WHERE c.day > b.first_day AND c.day <= b.last_day
),
spells AS (
    SELECT organization_id, day AS first_day,
           coalesce(CAST(lead(day) OVER (PARTITION BY organization_id ORDER BY day)
                         - INTERVAL 1 DAY AS DATE),
                    last_day) AS last_day
    FROM cuts
)
SELECT s.organization_id, s.first_day, s.last_day,
       datediff('day', s.first_day, s.last_day) + 1 AS days,
       t.tenure_id, t.person, t.gender, t.nationality_iso3, t.acting
FROM spells s
LEFT JOIN dated t
       ON t.organization_id = s.organization_id
      AND s.first_day BETWEEN t.start_day AND t.last_day
QUALIFY row_number() OVER (PARTITION BY s.organization_id, s.first_day
                           ORDER BY t.acting NULLS LAST, t.start_day NULLS LAST,
                                    t.tenure_no NULLS LAST) = 1;
COMMENT ON VIEW leaders_spells IS 'Each organization''s time since 1945 (or its founding) cut into spells with one head in charge, NULL when no dated tenure covers it (docs/leaders.md).';
COMMENT ON COLUMN leaders_spells.organization_id IS 'The organization.';
COMMENT ON COLUMN leaders_spells.first_day IS 'First day of the spell.';
COMMENT ON COLUMN leaders_spells.last_day IS 'Last day of the spell.';
COMMENT ON COLUMN leaders_spells.days IS 'Days in the spell, both ends included.';
COMMENT ON COLUMN leaders_spells.tenure_id IS 'The tenure in charge (leaders_tenures.tenure_id), NULL when no known head.';
COMMENT ON COLUMN leaders_spells.person IS 'The head in charge.';
COMMENT ON COLUMN leaders_spells.gender IS 'Their gender (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_spells.nationality_iso3 IS 'Their nationality (NULL: unknown or no known head).';
COMMENT ON COLUMN leaders_spells.acting IS 'Whether the head in charge was acting.';
