CREATE VIEW chart_representation AS
SELECT c.claim_id,
       c.measure,
       c.speaker,
       k.check_id,
       k.stated_text,
       k.stated_value AS stated_percent,
       k.computed_value AS computed_percent,
       k.verdict,
       k.explanation,
       k.source_ids
FROM claims c
JOIN claim_checks k USING (claim_id)
WHERE c.chart = 'representation' AND k.recipe = 'share' AND k.computed_value IS NOT NULL;
COMMENT ON VIEW chart_representation IS 'Representation chart: each share claim (Portugal''s share of UN leadership posts and of world population) as stated and as computed from reference data.';
COMMENT ON COLUMN chart_representation.claim_id IS 'The claim (claims.claim_id).';
COMMENT ON COLUMN chart_representation.measure IS 'The share the claim states.';
COMMENT ON COLUMN chart_representation.speaker IS 'Who makes the claim.';
COMMENT ON COLUMN chart_representation.check_id IS 'The check (claim_checks.check_id).';
COMMENT ON COLUMN chart_representation.stated_text IS 'The figure as the text states it.';
COMMENT ON COLUMN chart_representation.stated_percent IS 'The share as stated, in percent.';
COMMENT ON COLUMN chart_representation.computed_percent IS 'The share computed from the reference data, in percent.';
COMMENT ON COLUMN chart_representation.verdict IS 'Verdict of the check.';
COMMENT ON COLUMN chart_representation.explanation IS 'One-sentence explanation of the check.';
COMMENT ON COLUMN chart_representation.source_ids IS 'Sources (reference_sources.source_id) of the reference rows used.';
