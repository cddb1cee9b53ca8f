"""YAML with line numbers, so errors in data files can name the line to fix."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from analysis.errors import BadInput


class LineDict(dict):
    """A mapping from a YAML file that remembers the line it starts on (1-based)."""

    line: int = 0


class _LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    mapping = LineDict()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in mapping:
            raise BadInput(
                loader.name, f"duplicate key {key!r}", place=str(key_node.start_mark.line + 1)
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def load_with_lines(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BadInput(path, "no such file") from None
    except UnicodeDecodeError as err:
        raise BadInput(path, f"is not valid UTF-8 at byte offset {err.start}") from None
    loader = _LineLoader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        problem = getattr(err, "problem", None) or str(err).splitlines()[0]
        raise BadInput(
            path, f"invalid YAML: {problem}", place=str(mark.line + 1) if mark else None
        ) from None
    finally:
        loader.dispose()


def line_of(value: Any) -> str | None:
    return str(value.line) if isinstance(value, LineDict) and value.line else None


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
    line = line_of(entry)
    if not isinstance(entry, dict):
        raise BadInput(path, f"each {noun} must be a mapping", place=line)
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise BadInput(
            path,
            f"unknown field {unknown[0]!r} (allowed: {', '.join(sorted(allowed))})",
            place=line,
        )
    return line
