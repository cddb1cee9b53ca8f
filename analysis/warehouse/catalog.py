"""The warehouse catalog: every table and column declared once.

From these declarations come the DDL (:func:`create_sql`), the ``COMMENT ON`` statements that
document the schema inside the file, the polars schemas the loaders build frames with
(:func:`polars_schema`), and the structural expectations the validation stage runs on every
row (not null, unique keys, allowed values from :mod:`analysis.vocab`, references that resolve;
:func:`structural_expectations`). The hand-written suites in ``data/expectations/`` keep only
what this cannot say. Reference tables (``ref_<name>``) are declared by their source records
and added at load time. Views live beside this file in ``views/``, one SQL file each.

Keys and references are validated, not enforced by DuckDB constraints: an index per key made
an 18 MB file for 59 figures, and the build replaces the whole file anyway.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from analysis.checks.recipes import recipe_names
from analysis.sqlnames import literal
from analysis.vocab import (
    CLAIM_ORIGINS,
    CONTENT_SECTIONS,
    DISMISSAL_REASONS,
    EDITOR_VERDICTS,
    MACHINE_VERDICTS,
    MENTION_KINDS,
    NAME_VARIANT_KINDS,
    REVIEW_STATUSES,
    SECTION_KINDS,
    SOURCE_TIERS,
    TOLERANCE_DIRECTIONS,
    VERDICTS,
)

SQL_TYPES = ("VARCHAR", "INTEGER", "BIGINT", "DOUBLE", "DATE", "BOOLEAN")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False
    references: str | None = None  # "table.column" its values must exist in
    values: tuple[str, ...] | Callable[[], tuple[str, ...]] | None = None

    def allowed(self) -> tuple[str, ...] | None:
        return self.values() if callable(self.values) else self.values

    @property
    def comment(self) -> str:
        allowed = self.allowed()
        if not allowed:
            return self.description
        listed = ", ".join(allowed)
        last_or = ", ".join(allowed[:-1]) + f" or {allowed[-1]}" if len(allowed) > 1 else listed
        return self.description.replace("{values_or}", last_or).replace("{values}", listed)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    key: tuple[str, ...]
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


TABLES: tuple[Table, ...] = (
    Table(
        "documents",
        "Source documents from seeds/: one row per article, its metadata and its full text.",
        key=("doc_id",),
        columns=(
            Column(
                "doc_id", "VARCHAR", "Document id: the seed file name without .txt.", required=True
            ),
            Column(
                "path", "VARCHAR", "Seed file path, relative to the project root.", required=True
            ),
            Column("title", "VARCHAR", "Headline as given in the metadata file.", required=True),
            Column("outlet", "VARCHAR", "Publishing outlet.", required=True),
            Column("author", "VARCHAR", "Byline.", required=True),
            Column("language", "VARCHAR", "Language code (BCP 47).", required=True),
            Column("url", "VARCHAR", "Original address, when known."),
            Column(
                "date_published", "DATE", "Publication date when the source states it, else NULL."
            ),
            Column(
                "published_after", "DATE", "Earliest possible publication date the text supports."
            ),
            Column(
                "published_before", "DATE", "Latest possible publication date the text supports."
            ),
            Column("as_of", "DATE", "Date the document's claims are judged as of."),
            Column("date_note", "VARCHAR", "How the dates were inferred from the text."),
            Column(
                "sha256",
                "VARCHAR",
                "SHA-256 of the seed file bytes, verified against the metadata at every build.",
                required=True,
            ),
            Column(
                "n_chars",
                "INTEGER",
                "Length of the decoded text in characters (code points).",
                required=True,
            ),
            Column(
                "body",
                "VARCHAR",
                "The full decoded text; mention offsets index into it (0-based, end exclusive).",
                required=True,
            ),
        ),
    ),
    Table(
        "sections",
        "Paragraphs of each document classified as headline, caption, body, editor_note, author_bio, reader_comment or boilerplate.",
        key=("doc_id", "section_no"),
        columns=(
            Column(
                "doc_id",
                "VARCHAR",
                "Document the paragraph belongs to (documents.doc_id).",
                required=True,
                references="documents.doc_id",
            ),
            Column(
                "section_no",
                "INTEGER",
                "Paragraph number within the document, from 1 in reading order.",
                required=True,
            ),
            Column(
                "kind", "VARCHAR", "Section kind: {values}.", required=True, values=SECTION_KINDS
            ),
            Column(
                "comment_no",
                "INTEGER",
                "For reader comments: the comment number (1, 2, ... in order of appearance); else NULL.",
            ),
            Column(
                "start_offset",
                "INTEGER",
                "Character offset of the paragraph start in documents.body.",
                required=True,
            ),
            Column(
                "end_offset",
                "INTEGER",
                "Character offset just past the paragraph end in documents.body.",
                required=True,
            ),
            Column(
                "text",
                "VARCHAR",
                "The paragraph text, equal to the body at its offsets.",
                required=True,
            ),
        ),
    ),
    Table(
        "mentions",
        "Every figure extracted from the documents: one row per numeric mention with its exact span.",
        key=("mention_id",),
        columns=(
            Column("mention_id", "VARCHAR", "Mention id: <doc_id>:<start>-<end>.", required=True),
            Column(
                "doc_id",
                "VARCHAR",
                "Document the figure was found in (documents.doc_id).",
                required=True,
                references="documents.doc_id",
            ),
            Column(
                "start_offset",
                "INTEGER",
                "Character offset of the figure in documents.body (0-based).",
                required=True,
            ),
            Column(
                "end_offset",
                "INTEGER",
                "Character offset just past the figure (end exclusive).",
                required=True,
            ),
            Column(
                "surface",
                "VARCHAR",
                "The figure as written: substring(body, start_offset + 1, end_offset - start_offset).",
                required=True,
            ),
            Column(
                "value",
                "DOUBLE",
                "Normalized value: percent in points, fraction as a ratio, money in units of its currency, date as its year (NULL when the text gives none).",
            ),
            Column("kind", "VARCHAR", "{values_or}.", required=True, values=MENTION_KINDS),
            Column(
                "unit",
                "VARCHAR",
                "ISO 4217 currency for money, percent for percentages, time unit for durations, counted noun for counts when the text gives one.",
            ),
            Column(
                "approx",
                "VARCHAR",
                "Hedge word qualifying the figure (approximately, some, or so, close to, ...), else NULL.",
            ),
            Column(
                "iso_date",
                "VARCHAR",
                "For dates: partial ISO 8601 date (2018-10, --05-15; 2008 alone for an "
                "ambiguous numeric date, 01.12.2008).",
            ),
            Column("sentence", "VARCHAR", "The sentence the figure stands in."),
            Column(
                "sentence_start",
                "INTEGER",
                "Character offset of that sentence in documents.body (the figure sits at start_offset - sentence_start within it).",
            ),
            Column(
                "section",
                "VARCHAR",
                "Kind of the section the figure stands in (see sections.kind).",
                required=True,
                values=CONTENT_SECTIONS,
            ),
            Column(
                "section_no",
                "INTEGER",
                "Paragraph number of that section (sections.section_no).",
                required=True,
            ),
            Column(
                "comment_no", "INTEGER", "Reader comment number when the figure is in a comment."
            ),
            Column(
                "speaker",
                "VARCHAR",
                "Who states the figure: article (the outlet's own voice), a quoted person or organization, or reader comment N.",
                required=True,
            ),
        ),
    ),
    Table(
        "build_info",
        "When and with what the warehouse was built: the only place build time and versions are kept.",
        key=("key",),
        columns=(
            Column(
                "key",
                "VARCHAR",
                "Property name (built_at, python, polars, duckdb, ...).",
                required=True,
            ),
            Column("value", "VARCHAR", "Property value.", required=True),
        ),
    ),
    Table(
        "claims",
        "Checkable statements of each document, from data/claims/<document>.yaml or drafted by the machine (origin), with the verdict of their most severe decided check.",
        key=("claim_id",),
        columns=(
            Column(
                "claim_id",
                "VARCHAR",
                "Claim id as given in the claims file (unique across documents).",
                required=True,
            ),
            Column(
                "doc_id",
                "VARCHAR",
                "Document the claim is quoted from (documents.doc_id).",
                required=True,
                references="documents.doc_id",
            ),
            Column("quote", "VARCHAR", "The statement, verbatim from the document.", required=True),
            Column(
                "quote_start",
                "INTEGER",
                "Character offset of the quote in documents.body.",
                required=True,
            ),
            Column(
                "quote_end",
                "INTEGER",
                "Character offset just past the quote (end exclusive).",
                required=True,
            ),
            Column(
                "speaker",
                "VARCHAR",
                "Who makes the claim: article, a quoted person or organization, or reader comment N.",
                required=True,
            ),
            Column("subject", "VARCHAR", "What the claim is about.", required=True),
            Column("measure", "VARCHAR", "The quantity or fact the claim states.", required=True),
            Column(
                "as_of",
                "DATE",
                "Date the claim is judged as of (reference rows valid on that date).",
            ),
            Column(
                "verdict",
                "VARCHAR",
                "Most severe decided check verdict: incorrect, inconsistent, approximately_correct, correct; unverifiable when no check could decide.",
                required=True,
                values=MACHINE_VERDICTS,
            ),
            Column(
                "explanation",
                "VARCHAR",
                "One-sentence explanation of the deciding check.",
                required=True,
            ),
            Column("n_checks", "INTEGER", "Number of checks run for the claim.", required=True),
            Column("note", "VARCHAR", "Editorial note from the claims file."),
            Column(
                "chart",
                "VARCHAR",
                "Report chart that illustrates the claim (funding, leadership, women, representation, membership), from the claims file.",
            ),
            Column(
                "origin",
                "VARCHAR",
                "Where the claim comes from: hand (data/claims/), or machine-drafted from the "
                "relations between the text's figures (arithmetic, docs/relations.md), from the "
                "reference data (reference) or by matching a claim checked in another document "
                "(match).",
                required=True,
                values=CLAIM_ORIGINS,
            ),
            Column(
                "confidence",
                "DOUBLE",
                "A machine-drafted claim's confidence that the text states what it checks (0-1); "
                "NULL for claims written by hand.",
            ),
            Column(
                "claims_file",
                "VARCHAR",
                "Claims file the claim is declared in, relative to the project root; NULL for "
                "machine-drafted claims.",
            ),
            Column(
                "claims_line",
                "INTEGER",
                "Line of the claim in its claims file; NULL for machine-drafted claims.",
            ),
        ),
    ),
    Table(
        "claim_matches",
        "Claims that come back: a claim restating a statement already checked in another document (the same sentence lightly edited, with the same figures), linked to that fact-check.",
        key=("claim_id", "matched_claim_id"),
        columns=(
            Column(
                "claim_id",
                "VARCHAR",
                "The restating claim (claims.claim_id).",
                required=True,
                references="claims.claim_id",
            ),
            Column(
                "matched_claim_id",
                "VARCHAR",
                "The claim it restates, checked in another document (claims.claim_id).",
                required=True,
                references="claims.claim_id",
            ),
            Column(
                "matched_doc_id",
                "VARCHAR",
                "The other document (documents.doc_id).",
                required=True,
                references="documents.doc_id",
            ),
            Column(
                "similarity",
                "DOUBLE",
                "How alike the two sentences read, 0-1 (case, accents and spacing aside).",
                required=True,
            ),
            Column(
                "matched_verdict",
                "VARCHAR",
                "The final verdict of the claim it restates.",
                required=True,
                values=EDITOR_VERDICTS,
            ),
        ),
    ),
    Table(
        "claim_mentions",
        'Links claims to the extracted figures inside their quotes; claims with no figure ("never", "only", "first") have no row.',
        key=("claim_id", "figure_name"),
        columns=(
            Column(
                "claim_id",
                "VARCHAR",
                "The claim (claims.claim_id).",
                required=True,
                references="claims.claim_id",
            ),
            Column(
                "figure_name",
                "VARCHAR",
                "Name the claims file gives the figure (part, total, share, ...).",
                required=True,
            ),
            Column(
                "mention_id",
                "VARCHAR",
                "The extracted figure (mentions.mention_id) the stated value comes from.",
                required=True,
                references="mentions.mention_id",
            ),
        ),
    ),
    Table(
        "claim_checks",
        "One row per (claim, check): the recipe run, the stated and computed values, the verdict and a one-sentence explanation.",
        key=("check_id",),
        columns=(
            Column(
                "check_id",
                "VARCHAR",
                "Check id: <claim_id>/<n>, n counting the claim's checks from 1.",
                required=True,
            ),
            Column(
                "claim_id",
                "VARCHAR",
                "The claim checked (claims.claim_id).",
                required=True,
                references="claims.claim_id",
            ),
            Column(
                "doc_id",
                "VARCHAR",
                "Document of the claim.",
                required=True,
                references="documents.doc_id",
            ),
            Column(
                "recipe",
                "VARCHAR",
                "Check recipe: {values_or} (docs/claims.md).",
                required=True,
                values=recipe_names,
            ),
            Column("quote", "VARCHAR", "The claim's quote.", required=True),
            Column("speaker", "VARCHAR", "Who makes the claim.", required=True),
            Column(
                "stated_text", "VARCHAR", "The stated figure as written, when the claim has one."
            ),
            Column(
                "stated_value",
                "DOUBLE",
                "The stated figure's normalized value (from mentions), NULL for statements with no figure.",
            ),
            Column(
                "computed_value",
                "DOUBLE",
                "What the check computed from the reference data or the document (NULL when unverifiable). For date checks: the reference year.",
            ),
            Column(
                "computed_text",
                "VARCHAR",
                "The computed value as a reader reads it, in the stated figure's kind and unit "
                "(an amount in bn, a percentage, a day, a count with its noun); NULL when unverifiable.",
            ),
            Column(
                "verdict",
                "VARCHAR",
                "correct, approximately_correct, incorrect, inconsistent (conflicts with the same document) or unverifiable (no data to decide).",
                required=True,
                values=MACHINE_VERDICTS,
            ),
            Column(
                "explanation",
                "VARCHAR",
                "One sentence a reader can follow: the computation and how it compares with the claim.",
                required=True,
            ),
            Column(
                "tolerance_rule",
                "VARCHAR",
                "The tolerance rule applied (data/methodology/tolerance.yaml).",
                required=True,
            ),
            Column(
                "mentions_used",
                "VARCHAR",
                "Comma-separated mentions.mention_id of the figures used.",
                required=True,
            ),
            Column(
                "reference_rows",
                "VARCHAR",
                "Comma-separated reference rows used, as <table>:<CSV line>.",
                required=True,
            ),
            Column(
                "source_ids",
                "VARCHAR",
                "Comma-separated reference_sources.source_id behind the reference rows used.",
                required=True,
            ),
            Column(
                "source_tier",
                "VARCHAR",
                "The best tier among the sources used (primary, secondary, tertiary); NULL when "
                "no reference data was used.",
                values=tuple(SOURCE_TIERS),
            ),
            Column(
                "better_source_unused",
                "BOOLEAN",
                "Whether a source of a higher tier holds the same fact at the same date but the "
                "check rests on a lower one (a build with such a check fails).",
                required=True,
            ),
        ),
    ),
    Table(
        "reference_tables",
        "Catalogue of the reference datasets in data/reference/, one warehouse table (ref_<name>) each.",
        key=("table_name",),
        columns=(
            Column("table_name", "VARCHAR", "Dataset name (the CSV file stem).", required=True),
            Column(
                "warehouse_table", "VARCHAR", "Warehouse table holding its rows.", required=True
            ),
            Column("title", "VARCHAR", "Title from the source record.", required=True),
            Column("description", "VARCHAR", "Description from the source record.", required=True),
            Column("csv_path", "VARCHAR", "CSV path relative to the project root.", required=True),
            Column("n_rows", "INTEGER", "Number of rows.", required=True),
        ),
    ),
    Table(
        "reference_sources",
        "Where every reference fact was read: one row per source record entry.",
        key=("table_name", "source_id"),
        columns=(
            Column(
                "table_name",
                "VARCHAR",
                "Reference dataset (reference_tables.table_name).",
                required=True,
                references="reference_tables.table_name",
            ),
            Column(
                "source_id",
                "VARCHAR",
                "Source id used in the dataset's source_id column.",
                required=True,
            ),
            Column("publisher", "VARCHAR", "Publisher of the source.", required=True),
            Column("title", "VARCHAR", "Title of the page or document.", required=True),
            Column("url", "VARCHAR", "Address the fact was read at.", required=True),
            Column(
                "tier",
                "VARCHAR",
                "primary (the body that produced the figure), secondary (press or a reputable "
                "aggregator reporting it) or tertiary (copies of encyclopedias, mirrors); checks "
                "prefer the highest tier.",
                required=True,
                values=tuple(SOURCE_TIERS),
            ),
            Column(
                "date_published",
                "VARCHAR",
                "Publication date as given by the source (ISO, may be partial), NULL when none is shown.",
            ),
            Column("date_consulted", "VARCHAR", "Date the source was consulted.", required=True),
            Column("taken", "VARCHAR", "What was taken from the source.", required=True),
            Column("conversion", "VARCHAR", "Any conversion or derivation applied."),
        ),
    ),
    Table(
        "reviews",
        "Editorial review of machine verdicts, from data/reviews/<document>.yaml; an editor's verdict overrides the machine's (see the claim_verdicts view).",
        key=("claim_id",),
        columns=(
            Column(
                "claim_id",
                "VARCHAR",
                "The claim reviewed (claims.claim_id).",
                required=True,
                references="claims.claim_id",
            ),
            Column("reviewer", "VARCHAR", "Who reviewed it.", required=True),
            Column("review_date", "DATE", "When.", required=True),
            Column("status", "VARCHAR", "{values_or}.", required=True, values=REVIEW_STATUSES),
            Column("note", "VARCHAR", "The reviewer's note."),
            Column(
                "editor_verdict",
                "VARCHAR",
                "Editor's verdict overriding the machine's: a machine verdict, needs_context or not_checkable; NULL when the machine verdict stands.",
                values=EDITOR_VERDICTS,
            ),
            Column(
                "reason",
                "VARCHAR",
                "Why the editor overrode the machine (required with editor_verdict).",
            ),
            Column(
                "reviews_file",
                "VARCHAR",
                "Review file, relative to the project root.",
                required=True,
            ),
            Column("reviews_line", "INTEGER", "Line of the review in its file.", required=True),
        ),
    ),
    Table(
        "dismissals",
        "Figures deliberately not checked, from data/dismissals/<document>.yaml, each with a documented reason.",
        key=("mention_id",),
        columns=(
            Column(
                "mention_id",
                "VARCHAR",
                "The figure (mentions.mention_id).",
                required=True,
                references="mentions.mention_id",
            ),
            Column(
                "reason",
                "VARCHAR",
                "{values_or} (docs/claims.md).",
                required=True,
                values=tuple(DISMISSAL_REASONS),
            ),
            Column("note", "VARCHAR", "The editor's note."),
        ),
    ),
    Table(
        "tolerance_rules",
        "How far a computed value may be from a stated one (data/methodology/tolerance.yaml), as applied by the checks.",
        key=("rule",),
        columns=(
            Column(
                "rule",
                "VARCHAR",
                "A hedge word, or unhedged_measured / unhedged_exact.",
                required=True,
            ),
            Column(
                "relative",
                "DOUBLE",
                "Relative deviation allowed for approximately_correct (0.10 = 10 %).",
                required=True,
            ),
            Column(
                "direction",
                "VARCHAR",
                "Where the truth may lie: {values_or} the stated value.",
                required=True,
                values=TOLERANCE_DIRECTIONS,
            ),
            Column("applies_to", "VARCHAR", "What the rule applies to.", required=True),
        ),
    ),
    Table(
        "name_variants",
        "Places where a document names a reference entity by a variant spelling (from the reference tables' aliases): misspellings, dropped accents, alternative names.",
        key=("doc_id", "start_offset"),
        columns=(
            Column("doc_id", "VARCHAR", "Document.", required=True, references="documents.doc_id"),
            Column(
                "start_offset",
                "INTEGER",
                "Character offset of the variant in documents.body.",
                required=True,
            ),
            Column("end_offset", "INTEGER", "Character offset just past it.", required=True),
            Column("surface", "VARCHAR", "The name as written.", required=True),
            Column(
                "canonical", "VARCHAR", "The entity's name in the reference data.", required=True
            ),
            Column(
                "kind",
                "VARCHAR",
                "misspelling, accents dropped, or alternative name.",
                required=True,
                values=NAME_VARIANT_KINDS,
            ),
            Column("table_name", "VARCHAR", "Reference table of the entity.", required=True),
            Column("row_no", "INTEGER", "Its row (CSV line) in that table.", required=True),
            Column("section", "VARCHAR", "Section the variant stands in.", required=True),
            Column("speaker", "VARCHAR", "article or reader comment N.", required=True),
        ),
    ),
    Table(
        "verdict_scale",
        "The verdict vocabulary: what each verdict means, how severe it is, and its ClaimReview rating.",
        key=("verdict",),
        columns=(
            Column(
                "verdict",
                "VARCHAR",
                "Verdict name as stored in claims, claim_checks and reviews.",
                required=True,
            ),
            Column("label", "VARCHAR", "How pages print it.", required=True),
            Column("description", "VARCHAR", "What it means.", required=True),
            Column(
                "machine",
                "BOOLEAN",
                "Whether the checks can give it (else editors only).",
                required=True,
            ),
            Column(
                "severity",
                "INTEGER",
                "Severity rank, 0 = most severe; a claim takes its most severe decided verdict.",
                required=True,
            ),
            Column(
                "rating",
                "INTEGER",
                "schema.org ClaimReview ratingValue (1 false … 5 true), NULL when it has none.",
            ),
        ),
    ),
)
TABLE = {t.name: t for t in TABLES}
# the tables whose rows are each one document's own work (its text and metadata, sections and
# figures), keyed by doc_id: what a build may carry over from the last warehouse for the
# documents unchanged since (docs/architecture.md, "The warehouse carried forward")
PER_DOCUMENT = ("documents", "sections", "mentions")

_POLARS = {
    "VARCHAR": "String",
    "INTEGER": "Int64",
    "BIGINT": "Int64",
    "DOUBLE": "Float64",
    "DATE": "Date",
    "BOOLEAN": "Boolean",
}


def create_sql(table: Table) -> str:
    """CREATE TABLE and its COMMENT ON statements."""
    width = max(len(c.name) for c in table.columns)
    columns = ",\n".join(
        f"    {c.name.ljust(width)}  {c.type}{' NOT NULL' if c.required else ''}"
        for c in table.columns
    )
    statements = [
        f"CREATE TABLE {table.name} (\n{columns}\n);",
        f"COMMENT ON TABLE {table.name} IS {literal(table.description)};",
    ]
    statements += [
        f"COMMENT ON COLUMN {table.name}.{c.name} IS {literal(c.comment)};" for c in table.columns
    ]
    return "\n".join(statements)


def schema_sql() -> str:
    return "\n\n".join(create_sql(t) for t in TABLES) + "\n"


def polars_schema(table: Table | str) -> dict[str, Any]:
    import polars as pl

    declared = TABLE[table] if isinstance(table, str) else table
    return {c.name: getattr(pl, _POLARS[c.type])() for c in declared.columns}


def verdict_rows() -> list[dict[str, Any]]:
    return [
        {
            "verdict": v.name,
            "label": v.label,
            "description": v.description,
            "machine": v.machine,
            "severity": v.severity,
            "rating": v.rating,
        }
        for v in VERDICTS
    ]
