-- Each country's share of the heads of UN system organizations (the CEB members) on each date
-- of leaders_dates (docs/leaders.md): the organizations whose head that day is its national,
-- over the CEB members with a head of known nationality that day.
CREATE VIEW leaders_country_posts AS
WITH ceb AS (
    SELECT * FROM leaders_by_organization WHERE in_ceb AND exists_on_date AND founded_by_date
),
totals AS (
    SELECT as_of,
           count(*) AS ceb_organizations,
           count(*) FILTER (WHERE head_nationality_on_date IS NOT NULL) AS with_known_head
    FROM ceb GROUP BY as_of
)
SELECT c.as_of, c.label, c.head_nationality_on_date AS nationality_iso3,
       count(*) AS posts,
       string_agg(c.acronym, ', ' ORDER BY c.acronym) AS organizations,
       t.with_known_head AS ceb_organizations_with_known_head,
       t.ceb_organizations,
       100.0 * count(*) / t.with_known_head AS share_of_posts_percent
FROM ceb c JOIN totals t USING (as_of)
WHERE c.head_nationality_on_date IS NOT NULL
GROUP BY c.as_of, c.label, c.head_nationality_on_date, t.with_known_head, t.ceb_organizations;
COMMENT ON VIEW leaders_country_posts IS 'Per date and nationality: how many CEB member organizations a national heads that day, and the share of the CEB members with a head of known nationality (docs/leaders.md).';
COMMENT ON COLUMN leaders_country_posts.as_of IS 'The date (leaders_dates.as_of).';
COMMENT ON COLUMN leaders_country_posts.label IS 'What the date is.';
COMMENT ON COLUMN leaders_country_posts.nationality_iso3 IS 'The heads'' nationality (ISO 3166-1 alpha-3).';
COMMENT ON COLUMN leaders_country_posts.posts IS 'CEB member organizations headed by its nationals that day.';
COMMENT ON COLUMN leaders_country_posts.organizations IS 'Their acronyms.';
COMMENT ON COLUMN leaders_country_posts.ceb_organizations_with_known_head IS 'CEB members with a head of known nationality that day.';
COMMENT ON COLUMN leaders_country_posts.ceb_organizations IS 'CEB members existing that day.';
COMMENT ON COLUMN leaders_country_posts.share_of_posts_percent IS 'posts / ceb_organizations_with_known_head x 100.';
