-- The dates the leadership views are computed as of (docs/leaders.md): every document's as_of
-- date, and the publication date of GWL Voices' 2023 mapping. The check recipe `recompute`
-- replaces this view by the claim's own date.
CREATE VIEW leaders_dates AS
SELECT DISTINCT as_of, 'document date' AS label
FROM documents
WHERE as_of IS NOT NULL
UNION
SELECT DISTINCT CAST(valid_from AS DATE), 'GWL Voices 2023 edition'
FROM ref_gwl_voices_leadership
WHERE report_year = 2023 AND measure = 'share_of_time_women_led_percent';
COMMENT ON VIEW leaders_dates IS 'Dates the leadership views are computed as of: each document''s as_of date and the publication date of GWL Voices'' 2023 mapping (docs/leaders.md).';
COMMENT ON COLUMN leaders_dates.as_of IS 'The date.';
COMMENT ON COLUMN leaders_dates.label IS 'document date, or GWL Voices 2023 edition.';
