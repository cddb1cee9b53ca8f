-- Women in the leadership of multilateral organizations since 1945, recomputed from the heads
-- table per date and scope (docs/leaders.md): all tabled organizations, the CEB members, and the
-- organizations established as covered by GWL Voices' 2023 mapping.
CREATE VIEW leaders_summary AS
WITH b AS MATERIALIZED (SELECT * FROM leaders_by_organization),
scoped AS (
    SELECT 'all' AS scope, * FROM b
    UNION ALL SELECT 'ceb', * FROM b WHERE in_ceb
    UNION ALL SELECT 'gwl_2023', * FROM b WHERE in_gwl_2023
)
SELECT as_of, label, scope,
       count(*) FILTER (WHERE organization_days > 0) AS organizations,
       count(*) FILTER (WHERE exists_on_date AND founded_by_date) AS organizations_existing,
       sum(leaders) AS leaders,
       sum(women_leaders) AS women_leaders,
       sum(men_leaders) AS men_leaders,
       sum(unknown_gender_leaders) AS unknown_gender_leaders,
       sum(acting_leaders) AS acting_leaders,
       sum(undated_tenures) AS undated_tenures,
       sum(organization_days) AS organization_days,
       sum(woman_days) AS woman_days,
       sum(man_days) AS man_days,
       sum(unknown_gender_days) AS unknown_gender_days,
       sum(no_head_days) AS no_head_days,
       (sum(woman_days) + sum(man_days) + sum(unknown_gender_days)) / 365.25 AS leader_years,
       100.0 * sum(woman_days) / nullif(sum(woman_days) + sum(man_days), 0) AS women_share_of_time_percent,
       100.0 * (sum(woman_days) + sum(man_days)) / nullif(sum(organization_days), 0) AS coverage_percent,
       count(*) FILTER (WHERE exists_on_date AND founded_by_date AND women_leaders = 0
                        AND unknown_gender_leaders = 0) AS organizations_never_led_by_woman,
       count(*) FILTER (WHERE exists_on_date AND founded_by_date AND women_leaders = 1
                        AND unknown_gender_leaders = 0) AS organizations_led_by_woman_once,
       count(*) FILTER (WHERE exists_on_date AND founded_by_date AND head_on_date IS NOT NULL) AS organizations_with_head_on_date,
       count(*) FILTER (WHERE exists_on_date AND founded_by_date AND head_gender_on_date = 'female') AS organizations_led_by_woman_on_date,
       100.0 * count(*) FILTER (WHERE exists_on_date AND founded_by_date AND head_gender_on_date = 'female')
             / nullif(count(*) FILTER (WHERE exists_on_date AND founded_by_date AND head_gender_on_date IS NOT NULL), 0)
           AS currently_led_by_woman_percent
FROM scoped
GROUP BY as_of, label, scope;
COMMENT ON VIEW leaders_summary IS 'Women in the leadership of multilateral organizations since 1945, recomputed per date and scope (all, ceb, gwl_2023) from ref_multilateral_heads; coverage beside every figure (docs/leaders.md).';
COMMENT ON COLUMN leaders_summary.as_of IS 'The date (leaders_dates.as_of).';
COMMENT ON COLUMN leaders_summary.label IS 'What the date is.';
COMMENT ON COLUMN leaders_summary.scope IS 'all (every tabled organization), ceb (CEB members) or gwl_2023 (established as in GWL Voices'' 2023 mapping).';
COMMENT ON COLUMN leaders_summary.organizations IS 'Organizations with at least one day since 1945 up to the date.';
COMMENT ON COLUMN leaders_summary.organizations_existing IS 'Organizations existing on the date.';
COMMENT ON COLUMN leaders_summary.leaders IS 'Leaders: distinct persons per organization, acting heads apart.';
COMMENT ON COLUMN leaders_summary.women_leaders IS 'Women among the leaders.';
COMMENT ON COLUMN leaders_summary.men_leaders IS 'Men among the leaders.';
COMMENT ON COLUMN leaders_summary.unknown_gender_leaders IS 'Leaders of unknown gender.';
COMMENT ON COLUMN leaders_summary.acting_leaders IS 'Persons who led only as acting heads.';
COMMENT ON COLUMN leaders_summary.undated_tenures IS 'Tenures with no date telling when they began.';
COMMENT ON COLUMN leaders_summary.organization_days IS 'Organization-days since 1945 up to the date.';
COMMENT ON COLUMN leaders_summary.woman_days IS 'Days led by a woman.';
COMMENT ON COLUMN leaders_summary.man_days IS 'Days led by a man.';
COMMENT ON COLUMN leaders_summary.unknown_gender_days IS 'Days led by a head of unknown gender.';
COMMENT ON COLUMN leaders_summary.no_head_days IS 'Days with no known head.';
COMMENT ON COLUMN leaders_summary.leader_years IS 'Days with a known head / 365.25.';
COMMENT ON COLUMN leaders_summary.women_share_of_time_percent IS 'Women''s share of leadership-time: woman_days / (woman_days + man_days) x 100.';
COMMENT ON COLUMN leaders_summary.coverage_percent IS 'Days led by a head of known gender / organization_days x 100.';
COMMENT ON COLUMN leaders_summary.organizations_never_led_by_woman IS 'Organizations existing on the date with no woman leader (acting heads apart) and no leader of unknown gender.';
COMMENT ON COLUMN leaders_summary.organizations_led_by_woman_once IS 'Organizations existing on the date with exactly one woman leader and no leader of unknown gender.';
COMMENT ON COLUMN leaders_summary.organizations_with_head_on_date IS 'Organizations existing on the date with a known head that day.';
COMMENT ON COLUMN leaders_summary.organizations_led_by_woman_on_date IS 'Of those, led by a woman that day (acting included).';
COMMENT ON COLUMN leaders_summary.currently_led_by_woman_percent IS 'Share of the organizations with a head of known gender on the date led by a woman.';
