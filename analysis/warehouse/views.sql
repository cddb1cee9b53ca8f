CREATE VIEW claim_verdicts AS
SELECT c.claim_id,
       c.doc_id,
       c.speaker,
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
COMMENT ON COLUMN claim_verdicts.machine_verdict IS 'Verdict of the checks (claims.verdict).';
COMMENT ON COLUMN claim_verdicts.editor_verdict IS 'Editor''s overriding verdict, if any.';
COMMENT ON COLUMN claim_verdicts.final_verdict IS 'The editor''s verdict where given, else the machine''s.';
COMMENT ON COLUMN claim_verdicts.review_status IS 'pending, approved, disputed, or unreviewed.';
COMMENT ON COLUMN claim_verdicts.reviewer IS 'Reviewer.';
COMMENT ON COLUMN claim_verdicts.review_date IS 'Review date.';
COMMENT ON COLUMN claim_verdicts.override_reason IS 'Why the editor overrode the machine.';
COMMENT ON COLUMN claim_verdicts.review_note IS 'Reviewer''s note.';

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
       l.verdict
FROM mentions m
LEFT JOIN (
    SELECT cm.mention_id,
           string_agg(cm.claim_id, ',' ORDER BY cm.claim_id) AS claim_ids,
           arg_min(v.final_verdict, CASE v.final_verdict WHEN 'incorrect' THEN 0
               WHEN 'inconsistent' THEN 1 WHEN 'needs_context' THEN 2
               WHEN 'approximately_correct' THEN 3 WHEN 'correct' THEN 4 ELSE 5 END) AS verdict
    FROM claim_mentions cm JOIN claim_verdicts v USING (claim_id)
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

-- Chart views: every report chart reads exactly one of these (charts never compute figures).
-- Claims choose their chart with `chart:` in the claims file; reference rows come from the
-- rows the checks used, or from the reference tables named here.
-- A view whose reference table is absent is skipped (noted in build_info) and its chart says so.

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
       replace(f.measure, '_', ' ') || ' ' || CAST(CAST(f.year AS INTEGER) AS VARCHAR) AS label,
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
GROUP BY f.row_no, f.measure, f.year, f.value, f.currency;
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

CREATE VIEW chart_leadership_events AS
SELECT DISTINCT e.election_date AS event_date,
       CAST(year(CAST(e.election_date AS DATE)) AS VARCHAR) || ' election: ' || e.candidate || ' elected' AS label
FROM ref_iom_dg_elections e
WHERE e.result = 'elected' AND length(e.election_date) = 10;
COMMENT ON VIEW chart_leadership_events IS 'Leadership timeline markers: the Director General elections in the reference data.';
COMMENT ON COLUMN chart_leadership_events.event_date IS 'Date of the election.';
COMMENT ON COLUMN chart_leadership_events.label IS 'What happened.';

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
       replace(g.measure, '_', ' ') || ' (' || CAST(CAST(g.report_year AS INTEGER) AS VARCHAR) || ')',
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

CREATE VIEW chart_membership AS
SELECT m.un_region,
       count(*) AS member_states,
       count(*) FILTER (WHERE m.eu_member) AS eu_member_states,
       100.0 * count(*) / sum(count(*)) OVER () AS share_percent,
       any_value(s.publisher) AS source_publisher,
       any_value(s.title) AS source_title,
       any_value(s.url) AS source_url
FROM ref_iom_member_states m
JOIN reference_sources s ON s.table_name = 'iom_member_states' AND s.source_id = m.source_id
GROUP BY m.un_region;
COMMENT ON VIEW chart_membership IS 'Voting blocs: IOM member states by UN region, with EU members, from the reference list.';
COMMENT ON COLUMN chart_membership.un_region IS 'UN M49 region.';
COMMENT ON COLUMN chart_membership.member_states IS 'IOM member states in the region.';
COMMENT ON COLUMN chart_membership.eu_member_states IS 'Of which EU member states.';
COMMENT ON COLUMN chart_membership.share_percent IS 'The region''s share of all IOM member states, in percent.';
COMMENT ON COLUMN chart_membership.source_publisher IS 'Publisher of the source the value comes from.';
COMMENT ON COLUMN chart_membership.source_title IS 'Title of that source.';
COMMENT ON COLUMN chart_membership.source_url IS 'Address of that source (NULL for the article when its URL is unknown).';

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
