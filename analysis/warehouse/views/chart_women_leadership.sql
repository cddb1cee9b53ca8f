CREATE VIEW chart_women_leadership AS
SELECT 'Stated in the article' AS basis,
       m.value AS share_percent,
       m.surface AS label,
       c.quote,
       c.speaker AS stated_by,
       NULL AS report_year,
       d.outlet AS source_publisher,
       d.title AS source_title,
       d.url AS source_url
FROM claims c
JOIN claim_mentions cm USING (claim_id)
JOIN mentions m USING (mention_id)
JOIN documents d ON d.doc_id = c.doc_id
WHERE c.chart = 'women' AND m.kind = 'percent'
UNION ALL
SELECT 'GWL Voices mapping' AS basis,
       g.value,
       'GWL Voices ' || CAST(CAST(g.report_year AS INTEGER) AS VARCHAR) || ': '
           || replace(regexp_replace(g.measure, '_percent$', ''), '_', ' '),
       NULL AS quote,
       s.publisher,
       CAST(g.report_year AS INTEGER),
       s.publisher,
       s.title,
       s.url
FROM (SELECT *, row_number() OVER (PARTITION BY report_year, measure ORDER BY row_no) AS nth
      FROM ref_gwl_voices_leadership) g
JOIN reference_sources s ON s.table_name = 'gwl_voices_leadership' AND s.source_id = g.source_id
WHERE g.unit = 'percent' AND g.measure LIKE 'share_%' AND g.nth = 1;
COMMENT ON VIEW chart_women_leadership IS 'Women''s share of top jobs in multilateral organizations: the article''s figure beside the GWL Voices mappings (percent measures).';
COMMENT ON COLUMN chart_women_leadership.basis IS 'Stated in the article, or the GWL Voices mapping.';
COMMENT ON COLUMN chart_women_leadership.share_percent IS 'Women''s share, in percent.';
COMMENT ON COLUMN chart_women_leadership.label IS 'Label shown on the chart.';
COMMENT ON COLUMN chart_women_leadership.quote IS 'The claim''s quote, for stated figures (NULL for reference rows).';
COMMENT ON COLUMN chart_women_leadership.stated_by IS 'Who states the figure (the claim''s speaker or the source''s publisher).';
COMMENT ON COLUMN chart_women_leadership.source_publisher IS 'Publisher of the source the value comes from.';
COMMENT ON COLUMN chart_women_leadership.report_year IS 'Edition of the GWL Voices mapping (NULL for the article''s figure).';
COMMENT ON COLUMN chart_women_leadership.source_title IS 'Title of that source.';
COMMENT ON COLUMN chart_women_leadership.source_url IS 'Address of that source (NULL for the article when its URL is unknown).';
