-- Per organization and date of leaders_dates (docs/leaders.md): its leaders (distinct persons,
-- acting heads apart) in office on or after 1945-01-01 and by the date, the women among them,
-- the days since 1945 led by a woman, a man, a head of unknown gender or no known head, and the
-- head in charge on the date.
CREATE VIEW leaders_by_organization AS
-- tenures and spells are read twice each below: materialized, each is worked out once (a
-- view is expanded wherever it is named; about a third less time, the same rows)
WITH tenures AS MATERIALIZED (SELECT * FROM leaders_tenures),
spells AS MATERIALIZED (SELECT * FROM leaders_spells),
persons AS (  -- one row per organization, person and date: did they lead other than acting?
    SELECT d.as_of, t.organization_id, t.person,
           any_value(t.gender) AS gender,
           bool_and(t.acting) AS only_acting
    FROM leaders_dates d
    JOIN tenures t ON t.in_office_by <= d.as_of
    WHERE t.end_day IS NULL OR t.end_day >= DATE '1945-01-01'
    GROUP BY d.as_of, t.organization_id, t.person
),
people AS (
    SELECT as_of, organization_id,
           count(*) FILTER (WHERE NOT only_acting) AS leaders,
           count(*) FILTER (WHERE NOT only_acting AND gender = 'female') AS women_leaders,
           count(*) FILTER (WHERE NOT only_acting AND gender = 'male') AS men_leaders,
           count(*) FILTER (WHERE NOT only_acting AND gender IS NULL) AS unknown_gender_leaders,
           count(*) FILTER (WHERE only_acting) AS acting_leaders
    FROM persons GROUP BY ALL
),
undated AS (
    SELECT d.as_of, t.organization_id, count(*) AS undated_tenures
    FROM leaders_dates d, tenures t
    WHERE t.in_office_by IS NULL
    GROUP BY ALL
),
time AS (  -- each spell's days up to the date
    SELECT as_of, organization_id,
           CAST(coalesce(sum(days), 0) AS BIGINT) AS organization_days,
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'female'), 0) AS BIGINT) AS woman_days,
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'male'), 0) AS BIGINT) AS man_days,
           CAST(coalesce(sum(days) FILTER (WHERE tenure_id IS NOT NULL AND gender IS NULL), 0) AS BIGINT) AS unknown_gender_days,
           CAST(coalesce(sum(days) FILTER (WHERE tenure_id IS NULL), 0) AS BIGINT) AS no_head_days
    FROM (SELECT d.as_of, x.organization_id, x.gender, x.tenure_id,
                 datediff('day', x.first_day, least(x.last_day, d.as_of)) + 1 AS days
          FROM leaders_dates d
          JOIN spells x ON x.first_day <= d.as_of)
    GROUP BY ALL
),
today AS (
    SELECT d.as_of, x.organization_id, x.person AS head_on_date, x.gender AS head_gender_on_date,
           x.nationality_iso3 AS head_nationality_on_date, x.acting AS head_acting_on_date
    FROM leaders_dates d
    JOIN spells x ON d.as_of BETWEEN x.first_day AND x.last_day
)
SELECT d.as_of, d.label, o.organization_id, o.acronym, o.in_ceb,
       coalesce(o.in_gwl_2023, false) AS in_gwl_2023,
       o.founded_date <= strftime(d.as_of, '%Y-%m-%d') AS founded_by_date,  -- partial dates compare by prefix
       o.valid_to IS NULL OR o.valid_to > strftime(d.as_of, '%Y-%m-%d') AS exists_on_date,
       coalesce(p.leaders, 0) AS leaders,
       coalesce(p.women_leaders, 0) AS women_leaders,
       coalesce(p.men_leaders, 0) AS men_leaders,
       coalesce(p.unknown_gender_leaders, 0) AS unknown_gender_leaders,
       coalesce(p.acting_leaders, 0) AS acting_leaders,
       coalesce(u.undated_tenures, 0) AS undated_tenures,
       coalesce(m.organization_days, 0) AS organization_days,
       coalesce(m.woman_days, 0) AS woman_days,
       coalesce(m.man_days, 0) AS man_days,
       coalesce(m.unknown_gender_days, 0) AS unknown_gender_days,
       coalesce(m.no_head_days, 0) AS no_head_days,
       100.0 * m.woman_days / nullif(m.woman_days + m.man_days, 0) AS women_share_of_time_percent,
       100.0 * (m.woman_days + m.man_days) / nullif(m.organization_days, 0) AS coverage_percent,
       y.head_on_date, y.head_gender_on_date, y.head_nationality_on_date, y.head_acting_on_date
FROM leaders_dates d
CROSS JOIN ref_multilateral_organizations o
LEFT JOIN people p ON p.as_of = d.as_of AND p.organization_id = o.organization_id
LEFT JOIN undated u ON u.as_of = d.as_of AND u.organization_id = o.organization_id
LEFT JOIN time m ON m.as_of = d.as_of AND m.organization_id = o.organization_id
LEFT JOIN today y ON y.as_of = d.as_of AND y.organization_id = o.organization_id;
COMMENT ON VIEW leaders_by_organization IS 'Per organization and date of leaders_dates: leaders and women leaders since 1945 (acting heads apart), days led by a woman, a man, a head of unknown gender or no known head, women''s share of leadership-time and the head on the date (docs/leaders.md).';
COMMENT ON COLUMN leaders_by_organization.as_of IS 'The date (leaders_dates.as_of).';
COMMENT ON COLUMN leaders_by_organization.label IS 'What the date is (leaders_dates.label).';
COMMENT ON COLUMN leaders_by_organization.organization_id IS 'The organization.';
COMMENT ON COLUMN leaders_by_organization.acronym IS 'Its acronym.';
COMMENT ON COLUMN leaders_by_organization.in_ceb IS 'Whether it is a CEB member.';
COMMENT ON COLUMN leaders_by_organization.in_gwl_2023 IS 'Whether a source establishes it as covered by GWL Voices'' 2023 mapping (false: not established).';
COMMENT ON COLUMN leaders_by_organization.founded_by_date IS 'Whether it had been founded by the date.';
COMMENT ON COLUMN leaders_by_organization.exists_on_date IS 'Whether it existed on the date (founded and not dissolved).';
COMMENT ON COLUMN leaders_by_organization.leaders IS 'Distinct persons who led it other than as acting heads, in office since 1945-01-01 and by the date.';
COMMENT ON COLUMN leaders_by_organization.women_leaders IS 'Women among them.';
COMMENT ON COLUMN leaders_by_organization.men_leaders IS 'Men among them.';
COMMENT ON COLUMN leaders_by_organization.unknown_gender_leaders IS 'Leaders of unknown gender.';
COMMENT ON COLUMN leaders_by_organization.acting_leaders IS 'Persons who led it only as acting heads.';
COMMENT ON COLUMN leaders_by_organization.undated_tenures IS 'Tenures with no date that tells when they began (not counted as leaders).';
COMMENT ON COLUMN leaders_by_organization.organization_days IS 'Days of the organization since 1945-01-01 (or its founding) up to the date.';
COMMENT ON COLUMN leaders_by_organization.woman_days IS 'Of those, days led by a woman (acting heads included).';
COMMENT ON COLUMN leaders_by_organization.man_days IS 'Days led by a man.';
COMMENT ON COLUMN leaders_by_organization.unknown_gender_days IS 'Days led by a head of unknown gender.';
COMMENT ON COLUMN leaders_by_organization.no_head_days IS 'Days with no known head (a vacancy or unknown dates).';
COMMENT ON COLUMN leaders_by_organization.women_share_of_time_percent IS 'woman_days / (woman_days + man_days) x 100.';
COMMENT ON COLUMN leaders_by_organization.coverage_percent IS 'Days led by a head of known gender / organization_days x 100.';
COMMENT ON COLUMN leaders_by_organization.head_on_date IS 'The head in charge on the date (NULL: none known).';
COMMENT ON COLUMN leaders_by_organization.head_gender_on_date IS 'Their gender.';
COMMENT ON COLUMN leaders_by_organization.head_nationality_on_date IS 'Their nationality (ISO alpha-3).';
COMMENT ON COLUMN leaders_by_organization.head_acting_on_date IS 'Whether they were acting.';
