CREATE VIEW chart_funding AS
SELECT 'As the article states it' AS basis,
       any_value(cm.figure_name ORDER BY c.claim_id) AS measure,
       m.surface AS label,
       m.value AS amount,
       m.unit AS currency,
       string_agg(DISTINCT c.claim_id, ',' ORDER BY c.claim_id) AS claim_ids,
       any_value(d.outlet) AS source_publisher,
       any_value(d.title) AS source_title,
       any_value(d.url) AS source_url
FROM claims c
JOIN claim_mentions cm USING (claim_id)
JOIN mentions m USING (mention_id)
JOIN documents d ON d.doc_id = c.doc_id
WHERE c.chart = 'funding' AND m.kind = 'money'
GROUP BY m.mention_id, m.surface, m.value, m.unit
UNION ALL
SELECT 'As reported by IOM to the UN (CEB)' AS basis,
       f.measure,
       coalesce(f.donor_iso3 || ' ', 'IOM ') || replace(f.measure, '_', ' ') || ', '
           || CAST(CAST(f.year AS INTEGER) AS VARCHAR) AS label,
       f.value AS amount,
       f.currency,
       string_agg(DISTINCT k.claim_id, ',' ORDER BY k.claim_id) AS claim_ids,
       any_value(s.publisher),
       any_value(s.title),
       any_value(s.url)
FROM claim_checks k
JOIN claims c USING (claim_id)
CROSS JOIN unnest(string_split(k.reference_rows, ',')) AS u(ref)
JOIN ref_iom_finance f ON 'iom_finance:' || CAST(f.row_no AS VARCHAR) = u.ref
JOIN reference_sources s ON s.table_name = 'iom_finance' AND s.source_id = f.source_id
WHERE c.chart = 'funding'
GROUP BY f.row_no, f.measure, f.year, f.value, f.currency, f.donor_iso3;
COMMENT ON VIEW chart_funding IS 'Funding chart: IOM''s funding as the article states it (figures of claims with chart = funding) beside the reference rows its checks used.';
COMMENT ON COLUMN chart_funding.basis IS 'Whose figures: as the article states them, or as reported by IOM to the UN (CEB).';
COMMENT ON COLUMN chart_funding.measure IS 'What the amount is (the claim''s figure name, or the reference measure).';
COMMENT ON COLUMN chart_funding.label IS 'Label shown on the chart.';
COMMENT ON COLUMN chart_funding.amount IS 'Amount in units of its currency.';
COMMENT ON COLUMN chart_funding.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN chart_funding.claim_ids IS 'Claims (comma-separated) whose figures or checks the row comes from.';
COMMENT ON COLUMN chart_funding.source_publisher IS 'Publisher of the source the value comes from.';
COMMENT ON COLUMN chart_funding.source_title IS 'Title of that source.';
COMMENT ON COLUMN chart_funding.source_url IS 'Address of that source (NULL for the article when its URL is unknown).';
