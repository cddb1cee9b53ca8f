CREATE VIEW mention_coverage AS
SELECT m.mention_id,
       m.doc_id,
       m.surface,
       m.section,
       m.speaker,
       CASE WHEN l.mention_id IS NOT NULL THEN 'checked'
            WHEN d.mention_id IS NOT NULL THEN 'dismissed'
            ELSE 'unchecked' END AS status,
       d.reason AS dismissal_reason,
       l.claim_ids,
       l.verdict,
       coalesce(l.machine_drafted, false) AS machine_drafted
FROM mentions m
LEFT JOIN (
    SELECT cm.mention_id,
           string_agg(cm.claim_id, ',' ORDER BY cm.claim_id) AS claim_ids,
           arg_min(v.final_verdict, s.severity) AS verdict,
           bool_and(v.machine_drafted) AS machine_drafted
    FROM claim_mentions cm
    JOIN claim_verdicts v USING (claim_id)
    JOIN verdict_scale s ON s.verdict = v.final_verdict
    GROUP BY cm.mention_id
) l USING (mention_id)
LEFT JOIN dismissals d USING (mention_id);
COMMENT ON VIEW mention_coverage IS 'What became of every figure: checked (linked to claims, with their most severe final verdict), dismissed (with its reason) or unchecked.';
COMMENT ON COLUMN mention_coverage.mention_id IS 'The figure.';
COMMENT ON COLUMN mention_coverage.doc_id IS 'Its document.';
COMMENT ON COLUMN mention_coverage.surface IS 'The figure as written.';
COMMENT ON COLUMN mention_coverage.section IS 'Its section.';
COMMENT ON COLUMN mention_coverage.speaker IS 'Who states it.';
COMMENT ON COLUMN mention_coverage.status IS 'checked, dismissed or unchecked.';
COMMENT ON COLUMN mention_coverage.dismissal_reason IS 'Reason it was dismissed, if it was.';
COMMENT ON COLUMN mention_coverage.claim_ids IS 'Claims it is linked to (comma-separated).';
COMMENT ON COLUMN mention_coverage.verdict IS 'Most severe final verdict among those claims.';
COMMENT ON COLUMN mention_coverage.machine_drafted IS 'Whether every claim it is linked to was drafted by the machine.';
