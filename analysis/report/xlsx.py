"""A small, fast writer of XLSX workbooks (Office Open XML SpreadsheetML, ECMA-376) for the
exports: typed cells, a bold frozen header with a filter, column widths, web links, and
deterministic bytes.

openpyxl builds an object per cell and serializes it through a generic XML tree: about 2,000
rows a second here, so an archive's workbook took minutes. This writes each sheet's XML as
text in one pass over its rows, which it reads once as they come (a sheet of an archive is a
million rows, never held whole), streamed into the zip. A sheet's rows may also come already
written, by DuckDB (:mod:`analysis.report.sql_cells`, the same XML as :func:`_sheet_xml`
writes for them). Every text is written in its cell (an inline string, ECMA-376 18.3.1.53):
a cell's XML depends on its value and place alone, as DuckDB writes it, with no table shared
across the workbook. It writes only what the exports need; the tests read every workbook back
with openpyxl.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
import queue
import re
import threading
import zipfile
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from analysis.report.cells import FORMULA_STARTS
from analysis.yamlfile import http_url

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
EPOCH = dt.date(1899, 12, 30)  # day 0 of Excel's 1900 date system (its leap-year bug included)
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ROWS_PER_CHUNK = 2_000
CELL_CHARS = 32_767  # characters a cell holds, in UTF-16 units (Excel's limit)
# deflate level of every part: an archive's sheets are hundreds of megabytes of XML, which
# level 3 compresses in 0.8 s per 143 MB where zlib's default (6) takes 2.0 s, for a file
# about a sixth larger (21.5 MB against 18.3 MB, measured on a 1,000-article archive)
DEFLATE_LEVEL = 3

# cell styles (cellXfs), in styles.xml's order
PLAIN, HEADER, DATE, QUOTED, LINK, DATETIME = range(6)
STYLES = f"""{HEAD}<styleSheet xmlns="{MAIN}">\
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/></numFmts>\
<fonts count="3">\
<font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
<font><u/><sz val="11"/><color rgb="FF0563C1"/><name val="Calibri"/><family val="2"/></font>\
</fonts>\
<fills count="3"><fill><patternFill patternType="none"/></fill>\
<fill><patternFill patternType="gray125"/></fill>\
<fill><patternFill patternType="solid"><fgColor rgb="FFE8E8E8"/><bgColor indexed="64"/>\
</patternFill></fill></fills>\
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
<cellStyleXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0"/></cellStyleXfs>\
<cellXfs count="6">\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
<xf numFmtId="0" fontId="1" fillId="2" borderId="0" xfId="0" applyFont="1" applyFill="1"/>\
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" quotePrefix="1"/>\
<xf numFmtId="0" fontId="2" fillId="0" borderId="0" xfId="1" applyFont="1"/>\
<xf numFmtId="22" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
</cellXfs>\
<cellStyles count="2"><cellStyle name="Normal" xfId="0" builtinId="0"/>\
<cellStyle name="Hyperlink" xfId="1" builtinId="8"/></cellStyles>\
</styleSheet>"""

# characters XML 1.0 cannot carry (C0 controls but tab, line feed, carriage return; lone
# surrogates; the two non-characters), as code point ranges: shown as the replacement character
ILLEGAL_RANGES = ((0x00, 0x08), (0x0B, 0x0C), (0x0E, 0x1F), (0xD800, 0xDFFF), (0xFFFE, 0xFFFF))
_ILLEGAL = re.compile("[" + "".join(f"{chr(a)}-{chr(b)}" for a, b in ILLEGAL_RANGES) + "]")


def text(value: str) -> str:
    """``value`` escaped as XML character data."""
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _ILLEGAL.sub("\ufffd", value)


def attribute(value: str) -> str:
    return text(value).replace('"', "&quot;")


def column_letter(n: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class Sheet:
    """One worksheet: a header row, then ``n_rows`` rows from ``rows`` (read once, as they
    come; values: str, int, float, Decimal, bool, date, datetime or None; a text that would
    read as a formula keeps a quote prefix); ``kinds``: each column's kind (:func:`kind_of`);
    ``link_columns``: the columns whose web addresses are links; ``note``: a last row of text
    after the records, outside the filter. ``rendered``: the rows already written as XML,
    (rows, XML) a chunk at a time, with their ``links``; ``rows`` is then not read. Both are
    closed (those that can be: a query's) once the sheet is written or its writing failed."""

    name: str
    columns: list[str]
    rows: Iterable[Sequence[Any]]
    n_rows: int
    widths: list[float]
    kinds: list[int]
    link_columns: frozenset[int] = frozenset()  # by position, from 0
    note: str | None = None
    links: list[tuple[str, str]] = field(default_factory=list)  # (cell, address), as written
    rendered: Iterable[tuple[int, str]] | None = None


def _number(value: float | int | decimal.Decimal) -> str | None:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, decimal.Decimal):
        return None if not value.is_finite() else format(value, "f")
    return repr(value) if isinstance(value, float) else str(value)


def inline(value: str) -> str:
    """A text cell's type and content (an inline string), edge spaces and line breaks kept:
    ``' t="inlineStr"><is><t>…</t></is>'``."""
    kept = ' xml:space="preserve"' if value != value.strip() or "\n" in value else ""
    return f' t="inlineStr"><is><t{kept}>{text(value)}</t></is>'


def text_style(value: str, linked: bool) -> int:
    """A text cell's style: a link's for a web address in a link column (``linked``), else
    the quote prefix for a text that would read as a formula, else none."""
    if linked and http_url(value):
        return LINK
    return QUOTED if value.startswith(FORMULA_STARTS) else PLAIN


def styled(style: int) -> str:
    """A cell's style attribute (none for the plain style)."""
    return f' s="{style}"' if style else ""


def _cell(ref: str, value: Any, sheet: Sheet, column: int) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float | decimal.Decimal):
        number = _number(value)
        if number is None:  # no number Excel can hold: the text, as text
            return _cell(ref, str(value), sheet, column)
        return f'<c r="{ref}"><v>{number}</v></c>'
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        day = value - dt.datetime.combine(EPOCH, dt.time())
        serial = day.days + day.seconds / 86_400 + day.microseconds / 86_400e6
        return f'<c r="{ref}" s="{DATETIME}"><v>{serial!r}</v></c>'
    if isinstance(value, dt.date):
        return f'<c r="{ref}" s="{DATE}"><v>{(value - EPOCH).days}</v></c>'
    if isinstance(value, str):
        style = text_style(value, column in sheet.link_columns)
        if style == LINK:
            sheet.links.append((ref, value))
        return f'<c r="{ref}"{styled(style)}{inline(value)}</c>'
    raise TypeError(f"cannot write a {type(value).__name__} to a workbook cell ({ref})")


TEXT, WHOLE, ANY = range(3)


def kind_of(types: set[type], linked: bool) -> int:
    """A column's kind from the types of its values: texts only (outside the link columns),
    whole numbers only (no booleans), or anything (each cell typed by :func:`_cell`). Most of
    an archive's millions of cells are the first two, written without a test per cell."""
    types = types - {type(None)}
    if types <= {str} and not linked:
        return TEXT
    if types <= {int}:
        return WHOLE
    return ANY


def _sheet_xml(sheet: Sheet) -> Iterator[str]:
    last_column = column_letter(max(len(sheet.columns), 1))
    n_rows = sheet.n_rows + 1 + (sheet.note is not None)
    yield (
        f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
        f'<dimension ref="A1:{last_column}{n_rows}"/>'
        '<sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        "</sheetView></sheetViews>"
        '<sheetFormatPr defaultRowHeight="15"/>'
    )
    if sheet.widths:
        yield (
            "<cols>"
            + "".join(
                f'<col min="{i}" max="{i}" width="{w}" customWidth="1"/>'
                for i, w in enumerate(sheet.widths, start=1)
            )
            + "</cols>"
        )
    yield "<sheetData>"
    letters = [column_letter(i) for i in range(1, len(sheet.columns) + 1)]
    yield (
        '<row r="1">'
        + "".join(
            f'<c r="{letter}1" s="{HEADER}"{inline(name)}</c>'
            for letter, name in zip(letters, sheet.columns, strict=True)
        )
        + "</row>"
    )
    try:
        if sheet.rendered is not None:
            written = 0
            for rows, xml in sheet.rendered:
                written += rows
                yield xml
        else:
            written = yield from _rows_xml(sheet, letters)
    finally:  # the rows' source closed (a query's cursor) however the writing ends
        for source in (sheet.rendered, sheet.rows):
            _close(source)
    if written != sheet.n_rows:
        raise ValueError(f"sheet {sheet.name!r}: {written} rows written, {sheet.n_rows} said")
    if sheet.note is not None:
        row_no = sheet.n_rows + 2
        yield f'<row r="{row_no}"><c r="A{row_no}"{inline(sheet.note)}</c></row>'
    yield "</sheetData>"
    if sheet.columns:  # the filter covers the header and the records, not a closing note
        yield f'<autoFilter ref="A1:{last_column}{sheet.n_rows + 1}"/>'
    if sheet.links:
        yield (
            "<hyperlinks>"
            + "".join(
                f'<hyperlink ref="{ref}" r:id="rId{i}"/>'
                for i, (ref, _) in enumerate(sheet.links, 1)
            )
            + "</hyperlinks>"
        )
    yield "</worksheet>"


def _rows_xml(sheet: Sheet, letters: list[str]) -> Generator[str, None, int]:
    """The records' rows, typed in Python (:func:`_cell`), a chunk at a time; returns how
    many were written."""
    chunk: list[str] = []
    quoted = f' s="{QUOTED}"'
    written = 0
    for row_no, row in enumerate(sheet.rows, start=2):
        cells = []
        for i, (kind, letter, value) in enumerate(zip(sheet.kinds, letters, row, strict=True)):
            if value is None:
                continue
            if kind == TEXT:  # as _cell writes a text, without its type tests
                styled = quoted if value.startswith(FORMULA_STARTS) else ""
                cells.append(f'<c r="{letter}{row_no}"{styled}{inline(value)}</c>')
            elif kind == WHOLE:
                cells.append(f'<c r="{letter}{row_no}"><v>{value}</v></c>')
            else:
                cells.append(_cell(f"{letter}{row_no}", value, sheet, i))
        chunk.append(f'<row r="{row_no}">{"".join(cells)}</row>')
        written += 1
        if len(chunk) >= ROWS_PER_CHUNK:
            yield "".join(chunk)
            chunk = []
    yield "".join(chunk)
    return written


def _write(book: zipfile.ZipFile, name: str, parts: Iterator[str] | str) -> None:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info._compresslevel = DEFLATE_LEVEL  # read by ZipFile.open(info, "w") (compress_level in 3.13)
    info.external_attr = 0o644 << 16
    # a part's size is not known before it is written: a sheet of an archive may pass the
    # 2 GiB a plain zip entry holds, so sheets are written with ZIP64 sizes
    large = name.startswith("xl/worksheets/sheet")
    with book.open(info, "w", force_zip64=large) as out:
        if isinstance(parts, str):
            out.write(parts.encode("utf-8"))
        elif large:
            _stream_beside(out, parts)
        else:
            for piece in _pieces(parts):
                out.write(piece)


def _pieces(parts: Iterator[str]) -> Iterator[bytes]:
    """``parts`` joined into pieces of at least a megabyte of characters (and the part that
    passes it: a chunk of a sheet's rows), encoded."""
    piece: list[str] = []
    size = 0
    for part in parts:
        piece.append(part)
        size += len(part)
        if size >= 1 << 20:
            yield "".join(piece).encode("utf-8")
            piece, size = [], 0
    yield "".join(piece).encode("utf-8")


PIECES_AHEAD = 4  # pieces of a sheet made and waiting to be deflated, at most
WAIT = 0.1  # seconds each side waits for the other before it looks again for a failure


def _stream_beside(out: BinaryIO, parts: Iterator[str]) -> None:
    """Write ``parts`` (a sheet's XML) to ``out``: the pieces made in this thread (a sheet read
    from DuckDB runs its query here, where an interrupt reaches it, as without the thread)
    while a thread of its own deflates and writes the pieces before. zlib deflating and
    DuckDB writing rows both leave Python's lock, so the two overlap on two cores; the bytes
    are the same as written in one thread. Neither side waits on the other for ever: a
    failure writing (a full disk) is raised here at the next piece, and the rows' source is
    closed (a query's cursor, in the thread that opened it); a failure here (a bad value,
    an interrupt) stops the writer within :data:`WAIT` or its piece, and it is joined."""
    ahead: queue.Queue[bytes | None] = queue.Queue(PIECES_AHEAD)
    stop = threading.Event()
    failed: list[BaseException] = []

    def write() -> None:
        try:
            while not stop.is_set():
                try:
                    piece = ahead.get(timeout=WAIT)
                except queue.Empty:
                    continue
                if piece is None:  # the last piece was written
                    return
                out.write(piece)
        except BaseException as err:  # raised by the thread that makes the pieces
            failed.append(err)

    def hand(piece: bytes | None) -> None:
        while True:
            if failed:
                raise failed[0]
            try:
                ahead.put(piece, timeout=WAIT)
                return
            except queue.Full:
                continue

    writer = threading.Thread(target=write, name="xlsx-sheet-writer", daemon=True)
    writer.start()
    pieces = _pieces(parts)
    try:
        for piece in pieces:
            hand(piece)
        hand(None)
        writer.join()
        if failed:
            raise failed[0]
    finally:
        stop.set()
        try:
            writer.join()
        finally:  # the sheet's XML closed here, which closes its rows' source (_sheet_xml)
            pieces.close()
            _close(parts)


def _close(source: object) -> None:
    """Close ``source`` if it can be closed (a generator, a query's rows)."""
    close = getattr(source, "close", None)
    if close is not None:
        close()


def _rels(links: list[tuple[str, str, str]]) -> str:
    """A relationships part: (id, type, target) each, external when the target is a web
    address."""
    body = "".join(
        f'<Relationship Id="{rid}" Type="{kind}" Target="{attribute(target)}"'
        + (' TargetMode="External"' if target.startswith(("http://", "https://")) else "")
        + "/>"
        for rid, kind, target in links
    )
    return f'{HEAD}<Relationships xmlns="{PKG_REL}">{body}</Relationships>'


def write_workbook(path: Path, sheets: list[Sheet], stamp: dt.datetime, creator: str) -> None:
    """``sheets`` as an XLSX workbook at ``path``; the same bytes for the same input (entries
    dated 1980-01-01, the document dated ``stamp``)."""
    when = stamp.strftime("%Y-%m-%dT%H:%M:%SZ")
    doc = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as book:
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(1, len(sheets) + 1)
        )
        _write(
            book,
            "[Content_Types].xml",
            f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{overrides}"
            '<Override PartName="/xl/styles.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" ContentType="application/'
            'vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>",
        )
        _write(
            book,
            "_rels/.rels",
            _rels(
                [
                    ("rId1", f"{doc}/officeDocument", "xl/workbook.xml"),
                    ("rId2", f"{PKG_REL}/metadata/core-properties", "docProps/core.xml"),
                    ("rId3", f"{doc}/extended-properties", "docProps/app.xml"),
                ]
            ),
        )
        _write(
            book,
            "docProps/core.xml",
            f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/'
            '2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:creator>{text(creator)}</dc:creator>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
            "</cp:coreProperties>",
        )
        _write(
            book,
            "docProps/app.xml",
            f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
            f'extended-properties"><Application>{text(creator)}</Application></Properties>',
        )
        names = "".join(
            f'<sheet name="{attribute(s.name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, s in enumerate(sheets, start=1)
        )
        filters = "".join(
            f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
            f"{text(_quoted_sheet(s.name))}!$A$1:${column_letter(len(s.columns))}$"
            f"{s.n_rows + 1}</definedName>"
            for i, s in enumerate(sheets)
            if s.columns
        )
        _write(
            book,
            "xl/workbook.xml",
            f'{HEAD}<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            f"<bookViews><workbookView/></bookViews><sheets>{names}</sheets>"
            + (f"<definedNames>{filters}</definedNames>" if filters else "")
            + "</workbook>",
        )
        n = len(sheets)
        _write(
            book,
            "xl/_rels/workbook.xml.rels",
            _rels(
                [
                    (f"rId{i}", f"{doc}/worksheet", f"worksheets/sheet{i}.xml")
                    for i in range(1, n + 1)
                ]
                + [(f"rId{n + 1}", f"{doc}/styles", "styles.xml")]
            ),
        )
        _write(book, "xl/styles.xml", STYLES)
        for i, sheet in enumerate(sheets, start=1):
            _write(book, f"xl/worksheets/sheet{i}.xml", _sheet_xml(sheet))
            if sheet.links:
                _write(
                    book,
                    f"xl/worksheets/_rels/sheet{i}.xml.rels",
                    _rels(
                        [
                            (f"rId{j}", f"{doc}/hyperlink", address)
                            for j, (_, address) in enumerate(sheet.links, start=1)
                        ]
                    ),
                )


def _quoted_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"
