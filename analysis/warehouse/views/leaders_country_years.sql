-- Each country's share of leadership-years in every tabled organization since 1945, against its
-- share of world population (docs/leaders.md): days led by its nationals over days led by a head
-- of known nationality, up to each date of leaders_dates; population share averaged over the
-- years 1960 (the first of the World Bank series) to the year before the date.
CREATE VIEW leaders_country_years AS
WITH led AS (
    SELECT d.as_of, d.label, x.nationality_iso3,
           CAST(sum(datediff('day', x.first_day, least(x.last_day, d.as_of)) + 1) AS BIGINT) AS days
    FROM leaders_dates d JOIN leaders_spells x ON x.first_day <= d.as_of
    WHERE x.nationality_iso3 IS NOT NULL
    GROUP BY ALL
),
shares AS (
    SELECT as_of, label, nationality_iso3, days,
           100.0 * days / sum(days) OVER (PARTITION BY as_of) AS share_of_leadership_years_percent
    FROM led
),
population AS (
    SELECT d.as_of, p.country_iso3, any_value(p.country) AS country,
           100.0 * avg(p.population / w.population) AS share_of_population_percent,
           min(p.year) AS first_year, max(p.year) AS last_year
    FROM leaders_dates d
    JOIN ref_world_population p ON p.year < year(d.as_of) AND p.country_iso3 <> 'WLD'
    JOIN ref_world_population w ON w.country_iso3 = 'WLD' AND w.year = p.year
    GROUP BY d.as_of, p.country_iso3
),
keys AS (
    SELECT as_of, country_iso3 FROM population
    UNION
    SELECT as_of, nationality_iso3 FROM shares
)
SELECT k.as_of, d.label, k.country_iso3, p.country,
       coalesce(s.days, 0) AS leadership_days,
       coalesce(s.days, 0) / 365.25 AS leadership_years,
       coalesce(s.share_of_leadership_years_percent, 0) AS share_of_leadership_years_percent,
       p.share_of_population_percent,
       coalesce(s.share_of_leadership_years_percent, 0) - p.share_of_population_percent AS gap_points,
       p.first_year AS population_from, p.last_year AS population_to
FROM keys k
JOIN leaders_dates d USING (as_of)
LEFT JOIN population p ON p.as_of = k.as_of AND p.country_iso3 = k.country_iso3
LEFT JOIN shares s ON s.as_of = k.as_of AND s.nationality_iso3 = k.country_iso3;
COMMENT ON VIEW leaders_country_years IS 'Per date and country: share of leadership-years (days led by its nationals in every tabled organization since 1945 over days led by a head of known nationality) against its mean share of world population since 1960 (docs/leaders.md).';
COMMENT ON COLUMN leaders_country_years.as_of IS 'The date (leaders_dates.as_of).';
COMMENT ON COLUMN leaders_country_years.label IS 'What the date is.';
COMMENT ON COLUMN leaders_country_years.country_iso3 IS 'ISO 3166-1 alpha-3 code.';
COMMENT ON COLUMN leaders_country_years.country IS 'Country name (World Bank), NULL when not in the population table.';
COMMENT ON COLUMN leaders_country_years.leadership_days IS 'Days its nationals led a tabled organization, summed over organizations.';
COMMENT ON COLUMN leaders_country_years.leadership_years IS 'Years its nationals led a tabled organization, summed.';
COMMENT ON COLUMN leaders_country_years.share_of_leadership_years_percent IS 'Its share of all leadership-years with a head of known nationality, percent.';
COMMENT ON COLUMN leaders_country_years.share_of_population_percent IS 'Its mean share of world population over population_from..population_to, percent.';
COMMENT ON COLUMN leaders_country_years.gap_points IS 'share_of_leadership_years_percent - share_of_population_percent, points.';
COMMENT ON COLUMN leaders_country_years.population_from IS 'First year of the population average.';
COMMENT ON COLUMN leaders_country_years.population_to IS 'Last year of the population average.';
