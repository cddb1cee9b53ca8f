-- Women's share of leadership-time by decade, recomputed from the heads table up to the latest
-- document date (docs/leaders.md), with the whole period beside it and the coverage of each
-- row; the article's stated share is read by the chart from the claims it tests.
CREATE VIEW chart_leaders_decades AS
WITH upto AS (
    SELECT max(as_of) AS as_of FROM leaders_dates WHERE label = 'document date'
),
pieces AS (  -- each spell up to the date, cut at the turn of each decade
    SELECT x.organization_id, x.gender, dec.decade,
           greatest(x.first_day, make_date(dec.decade, 1, 1)) AS first_day,
           least(x.last_day, make_date(dec.decade + 9, 12, 31), upto.as_of) AS last_day
    FROM leaders_spells x, upto,
         generate_series(10 * (year(x.first_day) // 10),
                         10 * (year(least(x.last_day, upto.as_of)) // 10), 10) dec(decade)
    WHERE x.first_day <= upto.as_of
),
days AS (
    SELECT *, datediff('day', first_day, last_day) + 1 AS days FROM pieces
),
sources AS (
    SELECT count(*) AS n,
           count(*) FILTER (WHERE tier = 'primary') AS primary_sources,
           count(*) FILTER (WHERE tier = 'secondary') AS secondary_sources,
           count(*) FILTER (WHERE tier = 'tertiary') AS tertiary_sources
    FROM reference_sources WHERE table_name = 'multilateral_heads'
),
periods AS (
    SELECT CAST(decade AS VARCHAR) || 's' AS period, decade AS sort_key,
           min(first_day) AS first_day, max(last_day) AS last_day,
           CAST(sum(days) AS BIGINT) AS organization_days,
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'female'), 0) AS BIGINT) AS woman_days,
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'male'), 0) AS BIGINT) AS man_days,
           count(DISTINCT organization_id) AS organizations
    FROM days GROUP BY decade
    UNION ALL
    SELECT 'all years', 9999, min(first_day), max(last_day), CAST(sum(days) AS BIGINT),
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'female'), 0) AS BIGINT),
           CAST(coalesce(sum(days) FILTER (WHERE gender = 'male'), 0) AS BIGINT),
           count(DISTINCT organization_id)
    FROM days
)
SELECT p.period, p.sort_key, p.first_day, p.last_day, p.organizations,
       p.organization_days, p.woman_days, p.man_days,
       100.0 * p.woman_days / nullif(p.woman_days + p.man_days, 0) AS women_share_percent,
       100.0 * (p.woman_days + p.man_days) / p.organization_days AS coverage_percent,
       s.leaders, s.women_leaders, s.leader_years,
       'Our table of heads of multilateral organizations' AS source_publisher,
       t.title || ' (' || src.n || ' sources: ' || src.primary_sources || ' primary, '
           || src.secondary_sources || ' secondary, ' || src.tertiary_sources || ' tertiary)'
           AS source_title,
       NULL AS source_url
FROM periods p
CROSS JOIN upto
JOIN leaders_summary s ON s.as_of = upto.as_of AND s.scope = 'all'
CROSS JOIN sources src
JOIN reference_tables t ON t.table_name = 'multilateral_heads'
ORDER BY p.sort_key;
COMMENT ON VIEW chart_leaders_decades IS 'Decade chart: women''s share of leadership-time in every tabled multilateral organization per decade since 1945 and over the whole period, up to the latest document date, with coverage (docs/leaders.md).';
COMMENT ON COLUMN chart_leaders_decades.period IS 'The decade (1940s = from 1945), or all years.';
COMMENT ON COLUMN chart_leaders_decades.sort_key IS 'First year of the decade (9999 for all years).';
COMMENT ON COLUMN chart_leaders_decades.first_day IS 'First day counted.';
COMMENT ON COLUMN chart_leaders_decades.last_day IS 'Last day counted.';
COMMENT ON COLUMN chart_leaders_decades.organizations IS 'Organizations with days in the period.';
COMMENT ON COLUMN chart_leaders_decades.organization_days IS 'Organization-days in the period.';
COMMENT ON COLUMN chart_leaders_decades.woman_days IS 'Days led by a woman.';
COMMENT ON COLUMN chart_leaders_decades.man_days IS 'Days led by a man.';
COMMENT ON COLUMN chart_leaders_decades.women_share_percent IS 'woman_days / (woman_days + man_days) x 100.';
COMMENT ON COLUMN chart_leaders_decades.coverage_percent IS 'Days with a head of known gender / organization-days x 100.';
COMMENT ON COLUMN chart_leaders_decades.leaders IS 'Leaders over the whole period (leaders_summary, scope all).';
COMMENT ON COLUMN chart_leaders_decades.women_leaders IS 'Women among them.';
COMMENT ON COLUMN chart_leaders_decades.leader_years IS 'Leader-years over the whole period.';
COMMENT ON COLUMN chart_leaders_decades.source_publisher IS 'Where the figures come from.';
COMMENT ON COLUMN chart_leaders_decades.source_title IS 'The heads table and its sources by tier.';
COMMENT ON COLUMN chart_leaders_decades.source_url IS 'NULL: the sources are listed on the methodology page.';
