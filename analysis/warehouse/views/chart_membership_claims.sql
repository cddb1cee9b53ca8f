CREATE VIEW chart_membership_claims AS
SELECT c.claim_id,
       c.speaker,
       c.measure,
       k.check_id,
       k.recipe,
       k.stated_text,
       k.stated_value,
       k.computed_value,
       k.verdict,
       k.explanation
FROM claims c
JOIN claim_checks k USING (claim_id)
WHERE c.chart = 'membership';
COMMENT ON VIEW chart_membership_claims IS 'Voting blocs: the membership claims (EU-27, the African vote, member-state counts) with their checks.';
COMMENT ON COLUMN chart_membership_claims.claim_id IS 'The claim (claims.claim_id).';
COMMENT ON COLUMN chart_membership_claims.speaker IS 'Who makes the claim.';
COMMENT ON COLUMN chart_membership_claims.measure IS 'What the claim states.';
COMMENT ON COLUMN chart_membership_claims.check_id IS 'The check (claim_checks.check_id).';
COMMENT ON COLUMN chart_membership_claims.recipe IS 'Check recipe.';
COMMENT ON COLUMN chart_membership_claims.stated_text IS 'The figure as the text states it.';
COMMENT ON COLUMN chart_membership_claims.stated_value IS 'Stated value (normalized).';
COMMENT ON COLUMN chart_membership_claims.computed_value IS 'Value computed by the check.';
COMMENT ON COLUMN chart_membership_claims.verdict IS 'Verdict of the check.';
COMMENT ON COLUMN chart_membership_claims.explanation IS 'One-sentence explanation of the check.';
