-- One row per tenure of ref_multilateral_heads (docs/leaders.md, "Which row of a tenure"): where
-- sources disagree on a tenure's dates, the row of the highest tier, then of the finer start
-- date, then the first in the file. Partial dates are read as the first day of their period.
CREATE VIEW leaders_tenures AS
WITH ranked AS (
    SELECT h.*,
           s.tier AS source_tier,
           count(*) OVER (PARTITION BY h.tenure_id) AS source_rows
    FROM ref_multilateral_heads h
    LEFT JOIN reference_sources s
           ON s.table_name = 'multilateral_heads' AND s.source_id = h.source_id
    QUALIFY row_number() OVER (
        PARTITION BY h.tenure_id
        ORDER BY CASE s.tier WHEN 'primary' THEN 1 WHEN 'secondary' THEN 2 ELSE 3 END,
                 CASE h.term_start_precision WHEN 'day' THEN 1 WHEN 'month' THEN 2
                                             WHEN 'year' THEN 3 ELSE 4 END,
                 h.row_no) = 1
),
dated AS (
    SELECT *,
           CAST(CASE length(term_start) WHEN 4 THEN term_start || '-01-01'
                                        WHEN 7 THEN term_start || '-01'
                                        ELSE term_start END AS DATE) AS start_day,
           CAST(CASE length(term_end) WHEN 4 THEN term_end || '-01-01'
                                      WHEN 7 THEN term_end || '-01'
                                      ELSE term_end END AS DATE) AS end_day,
           CAST(split_part(tenure_id, '-', -1) AS INTEGER) AS tenure_no
    FROM ranked
)
SELECT d.organization_id, d.tenure_id, d.tenure_no, d.person, d.gender, d.nationality_iso3,
       d.nationality, d.office_basis, d.office_basis = 'acting' AS acting,
       d.term_start, d.term_end, d.term_start_precision, d.term_end_precision,
       d.start_day, d.end_day,
       d.term_end_precision = 'open' AS sitting,
       d.start_day IS NOT NULL AND (d.end_day IS NOT NULL OR d.term_end_precision = 'open') AS dated,
       -- the day by which the tenure had begun: its start, else its end or a later tenure's start
       coalesce(d.start_day,
                least(d.end_day,
                      min(d.start_day) OVER (PARTITION BY d.organization_id ORDER BY d.tenure_no
                                             ROWS BETWEEN 1 FOLLOWING AND UNBOUNDED FOLLOWING)))
           AS in_office_by,
       d.source_id, d.source_tier, d.source_rows, d.row_no
FROM dated d;
COMMENT ON VIEW leaders_tenures IS 'One row per tenure of a head of a multilateral organization (ref_multilateral_heads), the preferred row where sources disagree, with its dates read as days (docs/leaders.md).';
COMMENT ON COLUMN leaders_tenures.organization_id IS 'The organization (ref_multilateral_organizations.organization_id).';
COMMENT ON COLUMN leaders_tenures.tenure_id IS 'The tenure (ref_multilateral_heads.tenure_id).';
COMMENT ON COLUMN leaders_tenures.tenure_no IS 'Its place in the organization''s order of office.';
COMMENT ON COLUMN leaders_tenures.person IS 'The head, as the preferred row names them.';
COMMENT ON COLUMN leaders_tenures.gender IS 'female, male or NULL (no source said).';
COMMENT ON COLUMN leaders_tenures.nationality_iso3 IS 'ISO 3166-1 alpha-3 nationality, NULL when no source said.';
COMMENT ON COLUMN leaders_tenures.nationality IS 'Country name.';
COMMENT ON COLUMN leaders_tenures.office_basis IS 'elected, appointed or acting.';
COMMENT ON COLUMN leaders_tenures.acting IS 'True for acting, interim and officer-in-charge heads.';
COMMENT ON COLUMN leaders_tenures.term_start IS 'Start as the source gives it (partial ISO date).';
COMMENT ON COLUMN leaders_tenures.term_end IS 'End as the source gives it (partial ISO date).';
COMMENT ON COLUMN leaders_tenures.term_start_precision IS 'day, month, year or unknown.';
COMMENT ON COLUMN leaders_tenures.term_end_precision IS 'day, month, year, open or unknown.';
COMMENT ON COLUMN leaders_tenures.start_day IS 'First day in office (the first day of a partial date''s period), NULL when unknown.';
COMMENT ON COLUMN leaders_tenures.end_day IS 'Last day in office read the same way, NULL when open or unknown.';
COMMENT ON COLUMN leaders_tenures.sitting IS 'True for a head still in office in the latest source read.';
COMMENT ON COLUMN leaders_tenures.dated IS 'True when both ends are known (or the head is sitting): only dated tenures count in leadership-time.';
COMMENT ON COLUMN leaders_tenures.in_office_by IS 'The day by which the tenure had begun: its start, else its end or the start of a later tenure of the organization (NULL: undated).';
COMMENT ON COLUMN leaders_tenures.source_id IS 'Source of the preferred row.';
COMMENT ON COLUMN leaders_tenures.source_tier IS 'Its tier: primary, secondary or tertiary.';
COMMENT ON COLUMN leaders_tenures.source_rows IS 'How many rows (sources) the table holds for the tenure.';
COMMENT ON COLUMN leaders_tenures.row_no IS 'Line of the preferred row in multilateral_heads.csv.';
