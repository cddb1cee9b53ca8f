CREATE VIEW chart_leadership AS
WITH firsts AS (
    SELECT h.*, row_number() OVER (PARTITION BY h."order" ORDER BY h.row_no) AS nth
    FROM ref_iom_heads h
),
as_of AS (SELECT strftime(max(as_of), '%Y-%m-%d') AS day FROM documents),
heads AS (
    SELECT f.*,
           f."order" = max(f."order") OVER () AS is_last,
           -- the dates nearest to an unknown one: the neighbours' known dates bound it
           lag(coalesce(f.term_end, f.term_start)) OVER w AS before_known,
           lead(coalesce(f.term_start, f.term_end)) OVER w AS after_known
    FROM firsts f
    WHERE f.nth = 1
    WINDOW w AS (ORDER BY f."order")
),
padded AS (
    SELECT h.*,
           CASE length(h.term_start) WHEN 4 THEN h.term_start || '-01-01'
                WHEN 7 THEN h.term_start || '-01' ELSE h.term_start END AS start_day,
           CASE length(h.term_end) WHEN 4 THEN h.term_end || '-12-31'
                WHEN 7 THEN h.term_end || '-28' ELSE h.term_end END AS end_day,
           CASE length(h.before_known) WHEN 4 THEN h.before_known || '-01-01'
                WHEN 7 THEN h.before_known || '-01' ELSE h.before_known END AS before_day,
           CASE length(h.after_known) WHEN 4 THEN h.after_known || '-12-31'
                WHEN 7 THEN h.after_known || '-28' ELSE h.after_known END AS after_day
    FROM heads h
),
dated AS (
    SELECT p.*,
           -- an open last term runs to the article's date
           coalesce(p.end_day, CASE WHEN p.is_last THEN greatest(a.day, p.start_day) END)
               AS end_or_open,
           a.day AS article_day
    FROM padded p CROSS JOIN as_of a
)
SELECT CAST(p."order" AS INTEGER) AS position,
       p.name,
       p.nationality,
       p.nationality_iso3,
       p.gender,
       p.start_day AS term_start,
       p.end_or_open AS term_end,
       CASE WHEN p.start_day IS NULL THEN p.before_day ELSE p.start_day END AS span_from,
       CASE WHEN p.end_or_open IS NULL THEN p.after_day ELSE p.end_or_open END AS span_to,
       coalesce(p.start_day, p.end_or_open) AS marker_day,
       coalesce(p.start_day <= p.article_day
                AND (p.end_or_open IS NULL OR p.end_or_open >= p.article_day), false)
           AS in_office_at_article,
       coalesce(p.start_day > p.article_day, false) AS took_office_after_article,
       p.nationality_iso3 = 'USA' AS is_american,
       p.start_day IS NULL OR p.end_or_open IS NULL AS dates_incomplete,
       s.publisher AS source_publisher,
       s.title AS source_title,
       s.url AS source_url
FROM dated p
JOIN reference_sources s ON s.table_name = 'iom_heads' AND s.source_id = p.source_id
WHERE p.start_day IS NOT NULL OR p.end_day IS NOT NULL;
COMMENT ON VIEW chart_leadership IS 'Leadership timeline: IOM''s heads since 1951 (first source per head), nationality and gender; a term date missing from the sources stays NULL, and the span from the neighbouring head''s known date shows where it lies (dates_incomplete); an open last term ends at the article''s date.';
COMMENT ON COLUMN chart_leadership.position IS 'Position in the sequence of IOM heads (IOM''s own numbering).';
COMMENT ON COLUMN chart_leadership.name IS 'Name of the head.';
COMMENT ON COLUMN chart_leadership.nationality IS 'Nationality.';
COMMENT ON COLUMN chart_leadership.nationality_iso3 IS 'Nationality, ISO 3166-1 alpha-3.';
COMMENT ON COLUMN chart_leadership.gender IS 'female or male.';
COMMENT ON COLUMN chart_leadership.term_start IS 'Start of term (partial source dates padded to the first day); NULL when the sources do not give it.';
COMMENT ON COLUMN chart_leadership.term_end IS 'End of term (partial dates padded to the last day); an open last term ends at the article''s date; NULL when the sources do not give it.';
COMMENT ON COLUMN chart_leadership.span_from IS 'Start of the span drawn: the term''s start, or for an unknown start the neighbouring head''s last known date before it.';
COMMENT ON COLUMN chart_leadership.span_to IS 'End of the span drawn: the term''s end, or for an unknown end the next head''s first known date.';
COMMENT ON COLUMN chart_leadership.marker_day IS 'Where the head''s marker sits: the known start, else the known end.';
COMMENT ON COLUMN chart_leadership.in_office_at_article IS 'Whether the head was in office on the article''s date.';
COMMENT ON COLUMN chart_leadership.took_office_after_article IS 'Whether the term began after the article''s date.';
COMMENT ON COLUMN chart_leadership.is_american IS 'Whether the head is a US national.';
COMMENT ON COLUMN chart_leadership.dates_incomplete IS 'Whether a term date is missing from the sources (its span is drawn as unknown, not as a term).';
COMMENT ON COLUMN chart_leadership.source_publisher IS 'Publisher of the source the value comes from.';
COMMENT ON COLUMN chart_leadership.source_title IS 'Title of that source.';
COMMENT ON COLUMN chart_leadership.source_url IS 'Address of that source (NULL for the article when its URL is unknown).';
