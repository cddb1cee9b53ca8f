"""YAML with line numbers and limits, so that data files fail with the line to fix.

Every YAML file the package reads is loaded here: safe types only, no anchors or aliases (a
1.5 KB "billion laughs" file must not expand into gigabytes), a bounded nesting depth and file
size, duplicate keys refused, impossible dates and unhashable keys reported with their line.
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
    """A mapping from a YAML file that remembers the line it starts on (1-based)."""

    line: int = 0


class _Loader(yaml.SafeLoader):
    depth = 0

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
        self.depth += 1
        try:
            if self.depth > MAX_DEPTH:
                raise BadInput(
                    self.name,
                    f"nested more than {MAX_DEPTH} levels deep",
                    str(event.start_mark.line + 1),
                )
            return super().compose_node(parent, index)
        finally:
            self.depth -= 1


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
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
    mapping.line = node.start_mark.line + 1
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


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def parse(text: str, name: str) -> Any:
    loader = _Loader(text)
    loader.name = name
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise BadInput(
            name, f"invalid YAML: {problem}", place=str(mark.line + 1) if mark else None
        ) from None
    except RecursionError:
        raise BadInput(name, f"nested more than {MAX_DEPTH} levels deep") from None
    finally:
        loader.dispose()


def load_with_lines(path: Path) -> Any:
    return parse(decode_utf8(path, read_bytes(path, MAX_YAML_BYTES)), str(path))


def line_of(value: Any) -> str | None:
    return str(value.line) if isinstance(value, LineDict) and value.line else None


# ---------------------------------------------------------------- typed fields


def as_text(path: Path, value: Any, what: str, line: str | None = None) -> str:
    """A string field: strings, numbers and dates are written as text; lists and maps are not."""
    if isinstance(value, (dict, list)):
        raise BadInput(path, f"{what}: expected text, got a {type(value).__name__}", line)
    return str(value)


def as_date(path: Path, value: Any, what: str, line: str | None = None) -> dt.date | None:
    """An ISO date field (``YYYY-MM-DD``), or None."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
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
