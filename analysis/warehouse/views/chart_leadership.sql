CREATE VIEW chart_leadership AS
WITH firsts AS (
    SELECT h.*, row_number() OVER (PARTITION BY h."order" ORDER BY h.row_no) AS nth
    FROM ref_iom_heads h
),
as_of AS (SELECT strftime(max(as_of), '%Y-%m-%d') AS day FROM documents),
heads AS (
    SELECT f.*,
           coalesce(f.term_start, lag(f.term_end) OVER w, f.term_end) AS start_known,
           coalesce(f.term_end, lead(f.term_start) OVER w) AS end_known,
           f."order" = max(f."order") OVER () AS is_last
    FROM firsts f
    WHERE f.nth = 1
    WINDOW w AS (ORDER BY f."order")
),
padded AS (
    SELECT h.*,
           CASE length(h.start_known) WHEN 4 THEN h.start_known || '-01-01'
                WHEN 7 THEN h.start_known || '-01' ELSE h.start_known END AS start_day,
           CASE length(h.end_known) WHEN 4 THEN h.end_known || '-12-31'
                WHEN 7 THEN h.end_known || '-28' ELSE h.end_known END AS end_day
    FROM heads h
)
SELECT CAST(p."order" AS INTEGER) AS position,
       p.name,
       p.nationality,
       p.nationality_iso3,
       p.gender,
       p.start_day AS term_start,
       -- an open last term runs to the article's date; an unknown end is drawn as a point
       coalesce(p.end_day, CASE WHEN p.is_last THEN greatest(a.day, p.start_day) END, p.start_day)
           AS term_end,
       p.start_day <= a.day AND (p.end_day IS NULL OR p.end_day >= a.day) AS in_office_at_article,
       p.start_day > a.day AS took_office_after_article,
       p.nationality_iso3 = 'USA' AS is_american,
       (p.term_start IS NULL OR p.term_end IS NULL) AND NOT p.is_last AS dates_incomplete,
       s.publisher AS source_publisher,
       s.title AS source_title,
       s.url AS source_url
FROM padded p
CROSS JOIN as_of a
JOIN reference_sources s ON s.table_name = 'iom_heads' AND s.source_id = p.source_id
WHERE p.start_known IS NOT NULL;
COMMENT ON VIEW chart_leadership IS 'Leadership timeline: IOM''s heads since 1951 (first source per head), nationality and gender; a missing term date is taken from the neighbouring head or left as a point (dates_incomplete); an open last term ends at the article''s date.';
COMMENT ON COLUMN chart_leadership.position IS 'Position in the sequence of IOM heads (IOM''s own numbering).';
COMMENT ON COLUMN chart_leadership.name IS 'Name of the head.';
COMMENT ON COLUMN chart_leadership.nationality IS 'Nationality.';
COMMENT ON COLUMN chart_leadership.nationality_iso3 IS 'Nationality, ISO 3166-1 alpha-3.';
COMMENT ON COLUMN chart_leadership.gender IS 'female or male.';
COMMENT ON COLUMN chart_leadership.term_start IS 'Start of term (partial source dates padded to the first day).';
COMMENT ON COLUMN chart_leadership.term_end IS 'End of term; an open last term ends at the article''s date, an unknown end equals the start.';
COMMENT ON COLUMN chart_leadership.in_office_at_article IS 'Whether the head was in office on the article''s date.';
COMMENT ON COLUMN chart_leadership.took_office_after_article IS 'Whether the term began after the article''s date.';
COMMENT ON COLUMN chart_leadership.is_american IS 'Whether the head is a US national.';
COMMENT ON COLUMN chart_leadership.dates_incomplete IS 'Whether a term date is missing from the sources (drawn from the neighbouring head or as a point).';
COMMENT ON COLUMN chart_leadership.source_publisher IS 'Publisher of the source the value comes from.';
COMMENT ON COLUMN chart_leadership.source_title IS 'Title of that source.';
COMMENT ON COLUMN chart_leadership.source_url IS 'Address of that source (NULL for the article when its URL is unknown).';
