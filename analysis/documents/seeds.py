"""Seeds: the texts in ``seeds/`` and the metadata file beside each one."""

from __future__ import annotations

import re
from pathlib import Path

from analysis.documents.layout import check_layout_name
from analysis.documents.model import Document
from analysis.errors import BadInput
from analysis.files import decode_utf8, read_bytes, sha256_hex
from analysis.yamlfile import MAX_YAML_BYTES, as_date, as_text, as_url, line_of, parse

META_SUFFIX = ".meta.yaml"
DEFAULT_DOLLAR = "USD"  # what a plain "$" stands for unless the metadata says (figure rules)
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")
# Every metadata field is optional (a bare .txt builds too); what is given is checked.
REQUIRED_META: tuple[str, ...] = ()
OPTIONAL_META = (
    "title",
    "outlet",
    "author",
    "language",
    "sha256",
    "url",
    "layout",
    "date_published",
    "published_after",
    "published_before",
    "as_of",
    "date_note",
    "description",
    "dollar",
    # descriptive fields of corpora (kept in the metadata file, not used by the build)
    "style",
    "retrieved_via",
    "has_quoted_figure",
    "notes",
)
UNKNOWN = "unknown"


def read_document(text_path: Path) -> Document:
    """Read one seed and its metadata file when it has one (every field optional), verifying
    the checksum the metadata records when it records one."""
    meta_path = text_path.with_name(text_path.stem + META_SUFFIX)
    # a symbolic link that leads nowhere (or in a loop) is an error, not "no metadata"
    has_meta = meta_path.exists() or meta_path.is_symlink()
    raw_meta = read_bytes(meta_path, MAX_YAML_BYTES) if has_meta else b""
    meta = parse(decode_utf8(meta_path, raw_meta), str(meta_path)) if has_meta else {}
    if not isinstance(meta, dict):
        raise BadInput(meta_path, "expected a mapping of metadata fields", line_of(meta))
    unknown = sorted((k for k in meta if k not in REQUIRED_META + OPTIONAL_META), key=str)
    if unknown:
        raise BadInput(
            meta_path,
            f"unknown field {unknown[0]!r}; allowed: {', '.join(REQUIRED_META + OPTIONAL_META)}",
            line_of(meta, unknown[0]),
        )
    missing = [k for k in REQUIRED_META if not meta.get(k)]
    if missing:
        raise BadInput(meta_path, f"missing field {missing[0]!r}")

    def where(key: str) -> str | None:
        return line_of(meta, key)

    recorded = meta.get("sha256")
    if recorded is not None:
        recorded = as_text(meta_path, recorded, "sha256", where("sha256"))
    raw = read_bytes(text_path)
    digest = sha256_hex(raw)
    if recorded is not None and digest != recorded.lower():
        raise BadInput(
            text_path,
            f"SHA-256 is {digest} but {meta_path.name} records {meta['sha256']}; "
            "if the text was changed on purpose, update sha256 in the metadata",
        )
    text = decode_utf8(text_path, raw)
    dates = {
        key: as_date(meta_path, meta.get(key), key, where(key))
        for key in ("date_published", "published_after", "published_before", "as_of")
    }
    published = dates["date_published"]
    after = dates["published_after"]
    before = dates["published_before"]
    if after is not None and before is not None and after > before:
        raise BadInput(
            meta_path,
            f"published_after {after.isoformat()} is later than published_before "
            f"{before.isoformat()}: no day is in that window",
            where("published_after"),
        )
    for bound, key, later in (
        (after, "published_after", False),
        (before, "published_before", True),
    ):
        if (
            bound is not None
            and published is not None
            and (published < bound if not later else published > bound)
        ):
            raise BadInput(
                meta_path,
                f"date_published {published.isoformat()} is outside {key} {bound.isoformat()}",
                where("date_published"),
            )
    as_of = dates["as_of"] or published or before
    dollar = meta.get("dollar", DEFAULT_DOLLAR)
    if not isinstance(dollar, str) or not _CURRENCY_CODE.match(dollar):
        raise BadInput(
            meta_path,
            f"dollar: expected the ISO 4217 code a plain '$' stands for (e.g. USD, AUD), "
            f"got {dollar!r}",
            where("dollar"),
        )
    text_fields = {
        key: as_text(meta_path, meta.get(key), key, where(key))
        if meta.get(key) is not None
        else None
        for key in ("title", "outlet", "author", "language", "layout", "url", "date_note")
    }
    for key in ("description", "style", "retrieved_via", "notes"):  # kept, not used: text
        if meta.get(key) is not None:
            as_text(meta_path, meta[key], key, where(key))
    if text_fields["url"] is not None:
        as_url(meta_path, text_fields["url"], "url", where("url"))
    if text_fields["layout"] is not None:
        check_layout_name(text_fields["layout"], meta_path, where("layout"))
    return Document(
        doc_id=text_path.stem,
        path=text_path,
        text=text,
        sha256=digest,
        title=text_fields["title"] or first_line(text) or text_path.stem,
        outlet=text_fields["outlet"] or UNKNOWN,
        author=text_fields["author"] or "",
        language=text_fields["language"] or "en",
        layout=text_fields["layout"],
        url=text_fields["url"],
        date_published=published,
        published_after=after,
        published_before=before,
        as_of=as_of,
        date_note=text_fields["date_note"],
        dollar=dollar,
        title_given=text_fields["title"] is not None,
        meta_sha256=sha256_hex(raw_meta) if has_meta else "",
    )


def first_line(text: str) -> str | None:
    """The text's first non-empty line, as its title when the metadata gives none."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None


def discover_seed_texts(seeds_dir: Path) -> list[Path]:
    if not seeds_dir.is_dir():
        raise BadInput(seeds_dir, "seeds folder not found")
    # a symbolic link among them is read (and refused there when it loops or leads nowhere)
    return sorted(p for p in seeds_dir.glob("*.txt") if p.is_file() or p.is_symlink())
