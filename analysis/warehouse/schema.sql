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
