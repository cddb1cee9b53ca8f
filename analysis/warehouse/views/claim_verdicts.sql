CREATE VIEW claim_verdicts AS
SELECT c.claim_id,
       c.doc_id,
       c.speaker,
       c.origin,
       c.origin <> 'hand' AS machine_drafted,
       c.verdict AS machine_verdict,
       r.editor_verdict,
       coalesce(r.editor_verdict, c.verdict) AS final_verdict,
       coalesce(r.status, 'unreviewed') AS review_status,
       r.reviewer,
       r.review_date,
       r.reason AS override_reason,
       r.note AS review_note
FROM claims c LEFT JOIN reviews r USING (claim_id);
COMMENT ON VIEW claim_verdicts IS 'Machine and editor verdicts side by side; final_verdict is the editor''s where there is one.';
COMMENT ON COLUMN claim_verdicts.claim_id IS 'The claim.';
COMMENT ON COLUMN claim_verdicts.doc_id IS 'Its document.';
COMMENT ON COLUMN claim_verdicts.speaker IS 'Who makes the claim.';
COMMENT ON COLUMN claim_verdicts.origin IS 'hand, or how the machine drafted it: arithmetic, reference, match (claims.origin).';
COMMENT ON COLUMN claim_verdicts.machine_drafted IS 'Whether the claim was drafted by the machine rather than written by hand.';
COMMENT ON COLUMN claim_verdicts.machine_verdict IS 'Verdict of the checks (claims.verdict).';
COMMENT ON COLUMN claim_verdicts.editor_verdict IS 'Editor''s overriding verdict, if any.';
COMMENT ON COLUMN claim_verdicts.final_verdict IS 'The editor''s verdict where given, else the machine''s.';
COMMENT ON COLUMN claim_verdicts.review_status IS 'pending, approved, disputed, or unreviewed.';
COMMENT ON COLUMN claim_verdicts.reviewer IS 'Reviewer.';
COMMENT ON COLUMN claim_verdicts.review_date IS 'Review date.';
COMMENT ON COLUMN claim_verdicts.override_reason IS 'Why the editor overrode the machine.';
COMMENT ON COLUMN claim_verdicts.review_note IS 'Reviewer''s note.';
