CREATE VIEW chart_leadership_events AS
SELECT DISTINCT e.election_date AS event_date,
       CAST(year(CAST(e.election_date AS DATE)) AS VARCHAR) || ' election: ' || e.candidate || ' elected' AS label
FROM ref_iom_dg_elections e
WHERE e.result = 'elected' AND length(e.election_date) = 10;
COMMENT ON VIEW chart_leadership_events IS 'Leadership timeline markers: the Director General elections in the reference data.';
COMMENT ON COLUMN chart_leadership_events.event_date IS 'Date of the election.';
COMMENT ON COLUMN chart_leadership_events.label IS 'What happened.';
