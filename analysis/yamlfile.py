"""YAML with line numbers and limits, so that data files fail with the line to fix.

Every YAML file the package reads is loaded here: safe types only, no anchors or aliases (a
1.5 KB "billion laughs" file must not expand into gigabytes), no explicit tags, a bounded
nesting depth and file size, duplicate keys refused, impossible dates and unhashable keys
reported with their line.
Mappings remember the line they start on (:class:`LineDict`).
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import yaml

from analysis.errors import BadInput
from analysis.files import decode_utf8, read_bytes

MAX_YAML_BYTES = 8 * 1024 * 1024
MAX_DEPTH = 40


class LineDict(dict):
    """A mapping from a YAML file that remembers the line it starts on and the line of each of
    its keys (1-based)."""

    line: int = 0
    key_lines: dict[Any, int] | None = None


class _ComposeChecks:
    """The composer's rules, shared by the pure-Python and the libyaml loaders."""

    depth = 0
    name: str

    def compose_node(self, parent: Any, index: Any) -> Any:  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            mark = self.peek_event().start_mark
            raise BadInput(
                self.name, "YAML aliases (*name) are not allowed in data files", str(mark.line + 1)
            )
        event = self.peek_event()
        if getattr(event, "anchor", None):
            raise BadInput(
                self.name,
                "YAML anchors (&name) are not allowed in data files",
                str(event.start_mark.line + 1),
            )
        if getattr(event, "tag", None) is not None:
            # an explicit tag (!!int, !!binary, !!python/…, !name) makes PyYAML build any type
            # from any text, and its constructors fail in ways of their own: data files use
            # plain values, quoted when they must stay text
            raise BadInput(
                self.name,
                f"YAML tags ({event.tag}) are not allowed in data files; quote the value",
                str(event.start_mark.line + 1),
            )
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise BadInput(
                    self.name,
                    f"nested more than {MAX_DEPTH} levels deep",
                    str(event.start_mark.line + 1),
                )
            return super().compose_node(parent, index)  # type: ignore[misc]
        finally:
            self.depth -= 1


class _Loader(_ComposeChecks, yaml.SafeLoader):
    pass


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    lines: dict[Any, int] = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        place = str(key_node.start_mark.line + 1)
        try:
            duplicate = key in mapping
        except TypeError:
            raise BadInput(
                loader.name, f"a key must be a plain value, not {type(key).__name__}", place
            ) from None
        if duplicate:
            raise BadInput(loader.name, f"duplicate key {key!r}", place)
        mapping[key] = loader.construct_object(value_node, deep=True)
        lines[key] = key_node.start_mark.line + 1
    mapping.line = node.start_mark.line + 1
    mapping.key_lines = lines
    return mapping


def _construct_timestamp(loader: _Loader, node: yaml.ScalarNode) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except ValueError as err:
        raise BadInput(
            loader.name,
            f"{node.value!r} is not a real date ({err})",
            str(node.start_mark.line + 1),
        ) from None


def _with_constructors(loader: type) -> type:
    """``loader`` building mappings with lines and refusing impossible dates."""
    loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)
    return loader


_with_constructors(_Loader)

if getattr(yaml, "__with_libyaml__", False):

    class _FastLoader(_ComposeChecks, yaml.composer.Composer, yaml.CSafeLoader):  # type: ignore[misc]
        """The same rules with libyaml scanning and parsing (about five times faster on the
        largest reference source record); composing and constructing stay in Python, so the
        checks above and the line numbers are the same."""

        def __init__(self, text: str) -> None:
            yaml.CSafeLoader.__init__(self, text)
            yaml.composer.Composer.__init__(self)

    _with_constructors(_FastLoader)
else:  # pragma: no cover - PyYAML without libyaml
    _FastLoader = None  # type: ignore[assignment,misc]


def _fast(text: str, name: str) -> tuple[bool, Any]:
    """(True, data) when libyaml reads ``text`` under the rules; (False, None) on any problem,
    which the pure-Python loader then reports with its own message and line."""
    if _FastLoader is None:
        return False, None
    try:
        loader = _FastLoader(text)
    except Exception:  # any problem is reported by the slow path
        return False, None
    loader.name = name
    try:
        return True, loader.get_single_data()
    except Exception:  # any problem is reported by the slow path
        return False, None
    finally:
        loader.dispose()


def parse(text: str, name: str) -> Any:
    """The data in ``text`` (the file ``name``), or :class:`BadInput` naming the line."""
    try:
        loader = _Loader(text)  # reads the whole text: refuses NUL and control characters
    except yaml.reader.ReaderError as err:
        line = text.count("\n", 0, err.position) + 1
        raise BadInput(
            name, f"invalid YAML: character #x{err.character:04x} is not allowed", str(line)
        ) from None
    loader.name = name
    try:
        ok, data = _fast(text, name)
        if ok:
            return data
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise BadInput(
            name, f"invalid YAML: {problem}", place=str(mark.line + 1) if mark else None
        ) from None
    except RecursionError:
        raise BadInput(name, f"nested more than {MAX_DEPTH} levels deep") from None
    except (ValueError, OverflowError) as err:
        # a plain value that looks like a number but is none (``0b_``, ``._``)
        raise BadInput(name, f"invalid YAML value ({err})") from None
    finally:
        loader.dispose()


def load_with_lines(path: Path) -> Any:
    return parse(decode_utf8(path, read_bytes(path, MAX_YAML_BYTES)), str(path))


def line_of(value: Any, key: Any = None) -> str | None:
    """The line a mapping from a YAML file starts on, or with ``key`` the line of that key
    (else the mapping's)."""
    if not isinstance(value, LineDict):
        return None
    if key is not None and value.key_lines and key in value.key_lines:
        return str(value.key_lines[key])
    return str(value.line) if value.line else None


# ---------------------------------------------------------------- typed fields


def as_text(path: Path, value: Any, what: str, line: str | None = None) -> str:
    """A string field: strings, numbers and dates are written as text; lists, mappings and
    YAML's unquoted yes/no/true/false (a boolean, not the word) are not."""
    if isinstance(value, (dict, list, set, tuple)):
        kind = "mapping" if isinstance(value, dict) else "list"
        raise BadInput(path, f"{what}: expected text, got a {kind}", line)
    if isinstance(value, bool):
        raise BadInput(
            path, f"{what}: expected text, got the boolean {value} (quote the word)", line
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise BadInput(path, f"{what}: expected text, got {value!r}", line)
    return str(value)


def text_fields(path: Path, entry: dict, fields: tuple[str, ...], noun: str) -> None:
    """Check that each of ``fields`` that ``entry`` gives is text (see :func:`as_text`), naming
    the line of the first that is not."""
    for field in fields:
        if entry.get(field) is not None:
            as_text(path, entry[field], f"{noun}: {field}", line_of(entry, field))


URL_SCHEMES = ("http", "https")
# Characters no address may hold as such (RFC 3986 wants them percent-encoded): white space,
# controls, quotes, angle brackets and the like; an address with them is a mistake or an attack.
_URL_FORBIDDEN = set(' "<>\\^`{|}') | {chr(c) for c in range(0x20)} | {"\x7f"}


def http_url(value: Any) -> str | None:
    """``value`` if it is an absolute http or https address with a host and no character an
    address cannot hold, else None (``javascript:``, ``data:``, ``vbscript:``, relative paths)."""
    from urllib.parse import urlsplit

    if not isinstance(value, str) or any(c in _URL_FORBIDDEN for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in URL_SCHEMES or not parts.hostname:
        return None
    return value


def as_url(path: Path, value: Any, what: str, line: str | None = None) -> str:
    """An address field: only absolute http and https addresses (never ``javascript:``,
    ``data:`` or ``vbscript:``, which would run in a reader's browser from a report link)."""
    text = as_text(path, value, what, line)
    if http_url(text) is None:
        raise BadInput(path, f"{what}: {text[:80]!r} is not an http or https address", line)
    return text


def as_count(
    path: Path, value: Any, what: str, line: str | None = None, *, minimum: int = 1
) -> int:
    """A whole number of at least ``minimum`` (an occurrence, a position)."""
    if isinstance(value, bool) or not isinstance(value, int):
        if not (isinstance(value, float) and value.is_integer()):
            raise BadInput(path, f"{what}: expected a whole number, got {value!r}", line)
        value = int(value)
    if value < minimum:
        raise BadInput(path, f"{what}: {value!r} is below {minimum}", line)
    return value


def finite_numbers(path: Path, value: Any, what: str, line: str | None = None) -> None:
    """Refuse ``.inf`` and ``.nan`` anywhere inside ``value`` (a number that is no number)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise BadInput(path, f"{what}: {value!r} is not a finite number", line)
    if isinstance(value, dict):
        for key, item in value.items():
            finite_numbers(path, key, what, line_of(value, key) or line)
            finite_numbers(path, item, what, line_of(value, key) or line)
    elif isinstance(value, (list, tuple, set)):
        for item in value:
            finite_numbers(path, item, what, line)


def day_of(value: dt.date) -> dt.date:
    """A date; a date and time (a date too: YAML reads "2023-03-01 12:00" so) as its day."""
    return value.date() if isinstance(value, dt.datetime) else value


def as_date(path: Path, value: Any, what: str, line: str | None = None) -> dt.date | None:
    """An ISO date field (``YYYY-MM-DD``), or None."""
    if value is None:
        return None
    if isinstance(value, dt.date):
        return day_of(value)
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(path, f"{what}: {value!r} is not an ISO date (YYYY-MM-DD)", line) from None


def as_number(
    path: Path,
    value: Any,
    what: str,
    line: str | None = None,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """A finite number field, optionally within [minimum, maximum]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise BadInput(path, f"{what}: expected a number, got {value!r}", line)
    number = float(value)
    if not math.isfinite(number):
        raise BadInput(path, f"{what}: {value!r} is not a finite number", line)
    if minimum is not None and number < minimum:
        raise BadInput(path, f"{what}: {value!r} is below {minimum:g}", line)
    if maximum is not None and number > maximum:
        raise BadInput(path, f"{what}: {value!r} is above {maximum:g}", line)
    return number


def as_mapping(path: Path, value: Any, what: str, line: str | None = None) -> dict:
    if not isinstance(value, dict):
        raise BadInput(path, f"{what}: expected a mapping", line or line_of(value))
    return value


def as_list(path: Path, value: Any, what: str, line: str | None = None) -> list:
    if not isinstance(value, list):
        raise BadInput(path, f"{what}: expected a list", line)
    return value


def check_fields(
    path: Path,
    entry: Any,
    allowed: set[str] | tuple[str, ...],
    noun: str,
    required: tuple[str, ...] = (),
) -> str | None:
    """Check ``entry`` is a mapping with only ``allowed`` fields and every ``required`` one;
    return its line."""
    line = line_of(entry)
    if not isinstance(entry, dict):
        raise BadInput(path, f"each {noun} must be a mapping", place=line)
    unknown = sorted(str(k) for k in set(entry) - set(allowed))
    if unknown:
        raise BadInput(
            path,
            f"unknown field {unknown[0]!r} in {noun} (allowed: {', '.join(sorted(allowed))})",
            place=line,
        )
    for field in required:
        if entry.get(field) in (None, ""):
            raise BadInput(path, f"{noun}: missing {field!r}", place=line)
    return line


def document_entries(path: Path, key: str, doc_id: str) -> list[Any]:
    """The list under ``key`` of a per-document data file (claims, reviews, dismissals), whose
    optional ``document`` field must name the seed the file belongs to."""
    data = load_with_lines(path)
    if not isinstance(data, dict) or set(data) - {"document", key}:
        raise BadInput(path, f"expected a mapping with '{key}' (and optionally 'document')")
    if data.get("document") not in (None, doc_id):
        raise BadInput(
            path, f"document {data['document']!r} does not match the file's seed {doc_id!r}"
        )
    entries = data.get(key) or []
    if not isinstance(entries, list):
        raise BadInput(path, f"{key}: expected a list")
    return entries


def entry_line(path: Path, entry: Any, allowed: set[str], noun: str) -> str | None:
    """Check one entry is a mapping with only ``allowed`` fields; return its line."""
    return check_fields(path, entry, allowed, noun)


def plain(value: Any) -> Any:
    """``value`` with every :class:`LineDict` in it a plain dict (for data that leaves its
    file: a drafted claim's checks built from a rules file keep no lines of that file)."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
