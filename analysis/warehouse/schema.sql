-- The warehouse schema. Every table, view and column is documented with COMMENT ON, so
-- duckdb_tables() and duckdb_columns() (and `analysis tables`) describe the data themselves.

CREATE TABLE documents (
    doc_id            VARCHAR PRIMARY KEY,
    path              VARCHAR NOT NULL,
    title             VARCHAR NOT NULL,
    outlet            VARCHAR NOT NULL,
    author            VARCHAR NOT NULL,
    language          VARCHAR NOT NULL,
    url               VARCHAR,
    date_published    DATE,
    published_after   DATE,
    published_before  DATE,
    as_of             DATE,
    date_note         VARCHAR,
    sha256            VARCHAR NOT NULL,
    n_chars           INTEGER NOT NULL,
    body              VARCHAR NOT NULL
);
COMMENT ON TABLE documents IS 'Source documents from seeds/: one row per article, its metadata and its full text.';
COMMENT ON COLUMN documents.doc_id IS 'Document id: the seed file name without .txt.';
COMMENT ON COLUMN documents.path IS 'Seed file path, relative to the project root.';
COMMENT ON COLUMN documents.title IS 'Headline as given in the metadata file.';
COMMENT ON COLUMN documents.outlet IS 'Publishing outlet.';
COMMENT ON COLUMN documents.author IS 'Byline.';
COMMENT ON COLUMN documents.language IS 'Language code (BCP 47).';
COMMENT ON COLUMN documents.url IS 'Original address, when known.';
COMMENT ON COLUMN documents.date_published IS 'Publication date when the source states it, else NULL.';
COMMENT ON COLUMN documents.published_after IS 'Earliest possible publication date the text supports.';
COMMENT ON COLUMN documents.published_before IS 'Latest possible publication date the text supports.';
COMMENT ON COLUMN documents.as_of IS 'Date the document''s claims are judged as of.';
COMMENT ON COLUMN documents.date_note IS 'How the dates were inferred from the text.';
COMMENT ON COLUMN documents.sha256 IS 'SHA-256 of the seed file bytes, verified against the metadata at every build.';
COMMENT ON COLUMN documents.n_chars IS 'Length of the decoded text in characters (code points).';
COMMENT ON COLUMN documents.body IS 'The full decoded text; mention offsets index into it (0-based, end exclusive).';

CREATE TABLE sections (
    doc_id        VARCHAR NOT NULL REFERENCES documents (doc_id),
    section_no    INTEGER NOT NULL,
    kind          VARCHAR NOT NULL,
    comment_no    INTEGER,
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    text          VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, section_no)
);
COMMENT ON TABLE sections IS 'Paragraphs of each document classified as headline, caption, body, editor_note, author_bio, reader_comment or boilerplate.';
COMMENT ON COLUMN sections.doc_id IS 'Document the paragraph belongs to (documents.doc_id).';
COMMENT ON COLUMN sections.section_no IS 'Paragraph number within the document, from 1 in reading order.';
COMMENT ON COLUMN sections.kind IS 'Section kind: headline, caption, body, editor_note, author_bio, reader_comment, boilerplate.';
COMMENT ON COLUMN sections.comment_no IS 'For reader comments: the comment number (1, 2, ... in order of appearance); else NULL.';
COMMENT ON COLUMN sections.start_offset IS 'Character offset of the paragraph start in documents.body.';
COMMENT ON COLUMN sections.end_offset IS 'Character offset just past the paragraph end in documents.body.';
COMMENT ON COLUMN sections.text IS 'The paragraph text, equal to the body at its offsets.';

CREATE TABLE mentions (
    mention_id    VARCHAR PRIMARY KEY,
    doc_id        VARCHAR NOT NULL REFERENCES documents (doc_id),
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    surface       VARCHAR NOT NULL,
    value         DOUBLE,
    kind          VARCHAR NOT NULL,
    unit          VARCHAR,
    approx        VARCHAR,
    iso_date      VARCHAR,
    sentence      VARCHAR,
    sentence_start INTEGER,
    section       VARCHAR NOT NULL,
    section_no    INTEGER NOT NULL,
    comment_no    INTEGER,
    speaker       VARCHAR NOT NULL
);
COMMENT ON TABLE mentions IS 'Every figure extracted from the documents: one row per numeric mention with its exact span.';
COMMENT ON COLUMN mentions.mention_id IS 'Mention id: <doc_id>:<start>-<end>.';
COMMENT ON COLUMN mentions.doc_id IS 'Document the figure was found in (documents.doc_id).';
COMMENT ON COLUMN mentions.start_offset IS 'Character offset of the figure in documents.body (0-based).';
COMMENT ON COLUMN mentions.end_offset IS 'Character offset just past the figure (end exclusive).';
COMMENT ON COLUMN mentions.surface IS 'The figure as written: substring(body, start_offset + 1, end_offset - start_offset).';
COMMENT ON COLUMN mentions.value IS 'Normalized value: percent in points, fraction as a ratio, money in units of its currency, date as its year (NULL when the text gives none).';
COMMENT ON COLUMN mentions.kind IS 'money, percent, count, year, date, duration, ordinal or fraction.';
COMMENT ON COLUMN mentions.unit IS 'ISO 4217 currency for money, percent for percentages, time unit for durations, counted noun for counts when the text gives one.';
COMMENT ON COLUMN mentions.approx IS 'Hedge word qualifying the figure (approximately, some, or so, close to, ...), else NULL.';
COMMENT ON COLUMN mentions.iso_date IS 'For dates: partial ISO 8601 date (2018-10, --05-15).';
COMMENT ON COLUMN mentions.sentence IS 'The sentence the figure stands in.';
COMMENT ON COLUMN mentions.sentence_start IS 'Character offset of that sentence in documents.body (the figure sits at start_offset - sentence_start within it).';
COMMENT ON COLUMN mentions.section IS 'Kind of the section the figure stands in (see sections.kind).';
COMMENT ON COLUMN mentions.section_no IS 'Paragraph number of that section (sections.section_no).';
COMMENT ON COLUMN mentions.comment_no IS 'Reader comment number when the figure is in a comment.';
COMMENT ON COLUMN mentions.speaker IS 'Who states the figure: article (the outlet''s own voice), a quoted person or organization, or reader comment N.';

CREATE TABLE build_info (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
COMMENT ON TABLE build_info IS 'When and with what the warehouse was built: the only place build time and versions are kept.';
COMMENT ON COLUMN build_info.key IS 'Property name (built_at, python, polars, duckdb, ...).';
COMMENT ON COLUMN build_info.value IS 'Property value.';

CREATE TABLE claims (
    claim_id      VARCHAR PRIMARY KEY,
    doc_id        VARCHAR NOT NULL REFERENCES documents (doc_id),
    quote         VARCHAR NOT NULL,
    quote_start   INTEGER NOT NULL,
    quote_end     INTEGER NOT NULL,
    speaker       VARCHAR NOT NULL,
    subject       VARCHAR NOT NULL,
    measure       VARCHAR NOT NULL,
    as_of         DATE,
    verdict       VARCHAR NOT NULL,
    explanation   VARCHAR NOT NULL,
    n_checks      INTEGER NOT NULL,
    note          VARCHAR,
    chart         VARCHAR,
    claims_file   VARCHAR NOT NULL,
    claims_line   INTEGER NOT NULL
);
COMMENT ON TABLE claims IS 'Checkable statements of each document, from data/claims/<document>.yaml, with the verdict of their most severe decided check.';
COMMENT ON COLUMN claims.claim_id IS 'Claim id as given in the claims file (unique across documents).';
COMMENT ON COLUMN claims.doc_id IS 'Document the claim is quoted from (documents.doc_id).';
COMMENT ON COLUMN claims.quote IS 'The statement, verbatim from the document.';
COMMENT ON COLUMN claims.quote_start IS 'Character offset of the quote in documents.body.';
COMMENT ON COLUMN claims.quote_end IS 'Character offset just past the quote (end exclusive).';
COMMENT ON COLUMN claims.speaker IS 'Who makes the claim: article, a quoted person or organization, or reader comment N.';
COMMENT ON COLUMN claims.subject IS 'What the claim is about.';
COMMENT ON COLUMN claims.measure IS 'The quantity or fact the claim states.';
COMMENT ON COLUMN claims.as_of IS 'Date the claim is judged as of (reference rows valid on that date).';
COMMENT ON COLUMN claims.verdict IS 'Most severe decided check verdict: incorrect, inconsistent, approximately_correct, correct; unverifiable when no check could decide.';
COMMENT ON COLUMN claims.explanation IS 'One-sentence explanation of the deciding check.';
COMMENT ON COLUMN claims.n_checks IS 'Number of checks run for the claim.';
COMMENT ON COLUMN claims.note IS 'Editorial note from the claims file.';
COMMENT ON COLUMN claims.chart IS 'Report chart that illustrates the claim (funding, leadership, women, representation, membership), from the claims file.';
COMMENT ON COLUMN claims.claims_file IS 'Claims file the claim is declared in, relative to the project root.';
COMMENT ON COLUMN claims.claims_line IS 'Line of the claim in its claims file.';

CREATE TABLE claim_mentions (
    claim_id     VARCHAR NOT NULL REFERENCES claims (claim_id),
    figure_name  VARCHAR NOT NULL,
    mention_id   VARCHAR NOT NULL REFERENCES mentions (mention_id),
    PRIMARY KEY (claim_id, figure_name)
);
COMMENT ON TABLE claim_mentions IS 'Links claims to the extracted figures inside their quotes; claims with no figure ("never", "only", "first") have no row.';
COMMENT ON COLUMN claim_mentions.claim_id IS 'The claim (claims.claim_id).';
COMMENT ON COLUMN claim_mentions.figure_name IS 'Name the claims file gives the figure (part, total, share, ...).';
COMMENT ON COLUMN claim_mentions.mention_id IS 'The extracted figure (mentions.mention_id) the stated value comes from.';

CREATE TABLE claim_checks (
    check_id         VARCHAR PRIMARY KEY,
    claim_id         VARCHAR NOT NULL REFERENCES claims (claim_id),
    doc_id           VARCHAR NOT NULL,
    recipe           VARCHAR NOT NULL,
    quote            VARCHAR NOT NULL,
    speaker          VARCHAR NOT NULL,
    stated_text      VARCHAR,
    stated_value     DOUBLE,
    computed_value   DOUBLE,
    verdict          VARCHAR NOT NULL,
    explanation      VARCHAR NOT NULL,
    tolerance_rule   VARCHAR NOT NULL,
    mentions_used    VARCHAR NOT NULL,
    reference_rows   VARCHAR NOT NULL,
    source_ids       VARCHAR NOT NULL
);
COMMENT ON TABLE claim_checks IS 'One row per (claim, check): the recipe run, the stated and computed values, the verdict and a one-sentence explanation.';
COMMENT ON COLUMN claim_checks.check_id IS 'Check id: <claim_id>/<n>, n counting the claim''s checks from 1.';
COMMENT ON COLUMN claim_checks.claim_id IS 'The claim checked (claims.claim_id).';
COMMENT ON COLUMN claim_checks.doc_id IS 'Document of the claim.';
COMMENT ON COLUMN claim_checks.recipe IS 'Check recipe: share, ratio, count, ordinal, span, date or same_as (docs/claims.md).';
COMMENT ON COLUMN claim_checks.quote IS 'The claim''s quote.';
COMMENT ON COLUMN claim_checks.speaker IS 'Who makes the claim.';
COMMENT ON COLUMN claim_checks.stated_text IS 'The stated figure as written, when the claim has one.';
COMMENT ON COLUMN claim_checks.stated_value IS 'The stated figure''s normalized value (from mentions), NULL for statements with no figure.';
COMMENT ON COLUMN claim_checks.computed_value IS 'What the check computed from the reference data or the document (NULL when unverifiable). For date checks: the reference year.';
COMMENT ON COLUMN claim_checks.verdict IS 'correct, approximately_correct, incorrect, inconsistent (conflicts with the same document) or unverifiable (no data to decide).';
COMMENT ON COLUMN claim_checks.explanation IS 'One sentence a reader can follow: the computation and how it compares with the claim.';
COMMENT ON COLUMN claim_checks.tolerance_rule IS 'The tolerance rule applied (data/methodology/tolerance.yaml).';
COMMENT ON COLUMN claim_checks.mentions_used IS 'Comma-separated mentions.mention_id of the figures used.';
COMMENT ON COLUMN claim_checks.reference_rows IS 'Comma-separated reference rows used, as <table>:<CSV line>.';
COMMENT ON COLUMN claim_checks.source_ids IS 'Comma-separated reference_sources.source_id behind the reference rows used.';

CREATE TABLE reference_tables (
    table_name       VARCHAR PRIMARY KEY,
    warehouse_table  VARCHAR NOT NULL,
    title            VARCHAR NOT NULL,
    description      VARCHAR NOT NULL,
    csv_path         VARCHAR NOT NULL,
    n_rows           INTEGER NOT NULL
);
COMMENT ON TABLE reference_tables IS 'Catalogue of the reference datasets in data/reference/, one warehouse table (ref_<name>) each.';
COMMENT ON COLUMN reference_tables.table_name IS 'Dataset name (the CSV file stem).';
COMMENT ON COLUMN reference_tables.warehouse_table IS 'Warehouse table holding its rows.';
COMMENT ON COLUMN reference_tables.title IS 'Title from the source record.';
COMMENT ON COLUMN reference_tables.description IS 'Description from the source record.';
COMMENT ON COLUMN reference_tables.csv_path IS 'CSV path relative to the project root.';
COMMENT ON COLUMN reference_tables.n_rows IS 'Number of rows.';

CREATE TABLE reference_sources (
    table_name      VARCHAR NOT NULL REFERENCES reference_tables (table_name),
    source_id       VARCHAR NOT NULL,
    publisher       VARCHAR NOT NULL,
    title           VARCHAR NOT NULL,
    url             VARCHAR NOT NULL,
    date_published  VARCHAR,
    date_consulted  VARCHAR NOT NULL,
    taken           VARCHAR NOT NULL,
    conversion      VARCHAR,
    PRIMARY KEY (table_name, source_id)
);
COMMENT ON TABLE reference_sources IS 'Where every reference fact was read: one row per source record entry.';
COMMENT ON COLUMN reference_sources.table_name IS 'Reference dataset (reference_tables.table_name).';
COMMENT ON COLUMN reference_sources.source_id IS 'Source id used in the dataset''s source_id column.';
COMMENT ON COLUMN reference_sources.publisher IS 'Publisher of the source.';
COMMENT ON COLUMN reference_sources.title IS 'Title of the page or document.';
COMMENT ON COLUMN reference_sources.url IS 'Address the fact was read at.';
COMMENT ON COLUMN reference_sources.date_published IS 'Publication date as given by the source (ISO, may be partial), NULL when none is shown.';
COMMENT ON COLUMN reference_sources.date_consulted IS 'Date the source was consulted.';
COMMENT ON COLUMN reference_sources.taken IS 'What was taken from the source.';
COMMENT ON COLUMN reference_sources.conversion IS 'Any conversion or derivation applied.';

CREATE TABLE reviews (
    claim_id        VARCHAR PRIMARY KEY REFERENCES claims (claim_id),
    reviewer        VARCHAR NOT NULL,
    review_date     DATE NOT NULL,
    status          VARCHAR NOT NULL,
    note            VARCHAR,
    editor_verdict  VARCHAR,
    reason          VARCHAR,
    reviews_file    VARCHAR NOT NULL,
    reviews_line    INTEGER NOT NULL
);
COMMENT ON TABLE reviews IS 'Editorial review of machine verdicts, from data/reviews/<document>.yaml; an editor''s verdict overrides the machine''s (see the claim_verdicts view).';
COMMENT ON COLUMN reviews.claim_id IS 'The claim reviewed (claims.claim_id).';
COMMENT ON COLUMN reviews.reviewer IS 'Who reviewed it.';
COMMENT ON COLUMN reviews.review_date IS 'When.';
COMMENT ON COLUMN reviews.status IS 'pending, approved or disputed.';
COMMENT ON COLUMN reviews.note IS 'The reviewer''s note.';
COMMENT ON COLUMN reviews.editor_verdict IS 'Editor''s verdict overriding the machine''s: a machine verdict, needs_context or not_checkable; NULL when the machine verdict stands.';
COMMENT ON COLUMN reviews.reason IS 'Why the editor overrode the machine (required with editor_verdict).';
COMMENT ON COLUMN reviews.reviews_file IS 'Review file, relative to the project root.';
COMMENT ON COLUMN reviews.reviews_line IS 'Line of the review in its file.';

CREATE TABLE dismissals (
    mention_id  VARCHAR PRIMARY KEY REFERENCES mentions (mention_id),
    reason      VARCHAR NOT NULL,
    note        VARCHAR
);
COMMENT ON TABLE dismissals IS 'Figures deliberately not checked, from data/dismissals/<document>.yaml, each with a documented reason.';
COMMENT ON COLUMN dismissals.mention_id IS 'The figure (mentions.mention_id).';
COMMENT ON COLUMN dismissals.reason IS 'timestamp, not_a_claim, prediction, background or no_public_source (docs/claims.md).';
COMMENT ON COLUMN dismissals.note IS 'The editor''s note.';

CREATE TABLE tolerance_rules (
    rule        VARCHAR PRIMARY KEY,
    relative    DOUBLE NOT NULL,
    direction   VARCHAR NOT NULL,
    applies_to  VARCHAR NOT NULL
);
COMMENT ON TABLE tolerance_rules IS 'How far a computed value may be from a stated one (data/methodology/tolerance.yaml), as applied by the checks.';
COMMENT ON COLUMN tolerance_rules.rule IS 'A hedge word, or unhedged_measured / unhedged_exact.';
COMMENT ON COLUMN tolerance_rules.relative IS 'Relative deviation allowed for approximately_correct (0.10 = 10 %).';
COMMENT ON COLUMN tolerance_rules.direction IS 'Where the truth may lie: either, below or above the stated value.';
COMMENT ON COLUMN tolerance_rules.applies_to IS 'What the rule applies to.';

CREATE TABLE name_variants (
    doc_id        VARCHAR NOT NULL REFERENCES documents (doc_id),
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL,
    surface       VARCHAR NOT NULL,
    canonical     VARCHAR NOT NULL,
    kind          VARCHAR NOT NULL,
    table_name    VARCHAR NOT NULL,
    row_no        INTEGER NOT NULL,
    section       VARCHAR NOT NULL,
    speaker       VARCHAR NOT NULL,
    PRIMARY KEY (doc_id, start_offset)
);
COMMENT ON TABLE name_variants IS 'Places where a document names a reference entity by a variant spelling (from the reference tables'' aliases): misspellings, dropped accents, alternative names.';
COMMENT ON COLUMN name_variants.doc_id IS 'Document.';
COMMENT ON COLUMN name_variants.start_offset IS 'Character offset of the variant in documents.body.';
COMMENT ON COLUMN name_variants.end_offset IS 'Character offset just past it.';
COMMENT ON COLUMN name_variants.surface IS 'The name as written.';
COMMENT ON COLUMN name_variants.canonical IS 'The entity''s name in the reference data.';
COMMENT ON COLUMN name_variants.kind IS 'misspelling, accents dropped, or alternative name.';
COMMENT ON COLUMN name_variants.table_name IS 'Reference table of the entity.';
COMMENT ON COLUMN name_variants.row_no IS 'Its row (CSV line) in that table.';
COMMENT ON COLUMN name_variants.section IS 'Section the variant stands in.';
COMMENT ON COLUMN name_variants.speaker IS 'article or reader comment N.';
