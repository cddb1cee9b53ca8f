-- Countries' share of leadership-years in every tabled multilateral organization since 1945
-- against their share of world population, up to the latest document date (docs/leaders.md):
-- the five most over-represented and the five most under-represented countries (by the gap in
-- points), and Portugal, the subject of reader comment 1.
CREATE VIEW chart_leaders_countries AS
WITH upto AS (
    SELECT max(as_of) AS as_of FROM leaders_dates WHERE label = 'document date'
),
c AS (
    SELECT y.*
    FROM leaders_country_years y JOIN upto USING (as_of)
    WHERE y.share_of_population_percent IS NOT NULL
),
ranked AS (
    SELECT *,
           row_number() OVER (ORDER BY gap_points DESC) AS over_rank,
           row_number() OVER (ORDER BY gap_points ASC) AS under_rank
    FROM c
),
coverage AS (
    SELECT sum(leadership_days) / 365.25 AS known_nationality_years,  -- whole days summed: exact
           coalesce(sum(leadership_days) FILTER (WHERE share_of_population_percent IS NULL), 0) / 365.25
               AS years_without_population
    FROM leaders_country_years y JOIN upto USING (as_of)
)
SELECT r.country_iso3, r.country, r.leadership_years, r.share_of_leadership_years_percent,
       r.share_of_population_percent, r.gap_points, r.population_from, r.population_to,
       CASE WHEN r.over_rank <= 5 THEN 'over-represented'
            WHEN r.under_rank <= 5 THEN 'under-represented'
            ELSE 'named in the comment' END AS grouping,
       r.over_rank, r.under_rank,
       s.leader_years AS all_leader_years,
       coverage.known_nationality_years, coverage.years_without_population,
       s.organizations,
       'Our table of heads of multilateral organizations; World Bank population (datahub.io)' AS source_publisher,
       'Heads of multilateral organizations since 1945; population of every country, 1960-2024' AS source_title,
       NULL AS source_url
FROM ranked r
CROSS JOIN upto
JOIN leaders_summary s ON s.as_of = upto.as_of AND s.scope = 'all'
CROSS JOIN coverage
WHERE r.over_rank <= 5 OR r.under_rank <= 5 OR r.country_iso3 = 'PRT'
ORDER BY r.gap_points DESC;
COMMENT ON VIEW chart_leaders_countries IS 'Countries chart: share of leadership-years in every tabled multilateral organization since 1945 against share of world population, for the five most over- and under-represented countries and Portugal (docs/leaders.md).';
COMMENT ON COLUMN chart_leaders_countries.country_iso3 IS 'ISO 3166-1 alpha-3 code.';
COMMENT ON COLUMN chart_leaders_countries.country IS 'Country name (World Bank).';
COMMENT ON COLUMN chart_leaders_countries.leadership_years IS 'Years its nationals led a tabled organization.';
COMMENT ON COLUMN chart_leaders_countries.share_of_leadership_years_percent IS 'Its share of leadership-years with a head of known nationality, percent.';
COMMENT ON COLUMN chart_leaders_countries.share_of_population_percent IS 'Its mean share of world population over population_from..population_to, percent.';
COMMENT ON COLUMN chart_leaders_countries.gap_points IS 'The first minus the second, points.';
COMMENT ON COLUMN chart_leaders_countries.population_from IS 'First year of the population average.';
COMMENT ON COLUMN chart_leaders_countries.population_to IS 'Last year of the population average.';
COMMENT ON COLUMN chart_leaders_countries.grouping IS 'over-represented, under-represented (the five largest gaps each way) or named in the comment.';
COMMENT ON COLUMN chart_leaders_countries.over_rank IS 'Rank by gap, largest first.';
COMMENT ON COLUMN chart_leaders_countries.under_rank IS 'Rank by gap, smallest first.';
COMMENT ON COLUMN chart_leaders_countries.all_leader_years IS 'Leader-years of every tabled organization (leaders_summary, scope all).';
COMMENT ON COLUMN chart_leaders_countries.known_nationality_years IS 'Leader-years with a head of known nationality.';
COMMENT ON COLUMN chart_leaders_countries.years_without_population IS 'Of those, years of nationalities not in the population table.';
COMMENT ON COLUMN chart_leaders_countries.organizations IS 'Organizations of the heads table.';
COMMENT ON COLUMN chart_leaders_countries.source_publisher IS 'Where the figures come from.';
COMMENT ON COLUMN chart_leaders_countries.source_title IS 'The tables used.';
COMMENT ON COLUMN chart_leaders_countries.source_url IS 'NULL: the sources are listed on the methodology page.';
