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
