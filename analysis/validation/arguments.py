"""The arguments of the expectations the DuckDB engine translates (:mod:`analysis.validation.sql`),
by Great Expectations' own names: what each needs and what it may take. A suite giving one any
other argument is bad input at its line (:func:`analysis.validation.expectations.load_suites`):
"min_valu" left a range open without a word, and "values_set" failed as a KeyError. An
expectation left to Great Expectations is checked by it.
"""

from __future__ import annotations

from typing import Any

# (the arguments each needs, those it may take); every one may also take COMMON_ARGS
_RANGE = frozenset(["min_value", "max_value", "strict_min", "strict_max"])
_PAIR = (frozenset(["column_A", "column_B"]), frozenset(["ignore_row_if"]))
TRANSLATED_ARGS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "expect_column_values_to_not_be_null": (frozenset(["column"]), frozenset()),
    "expect_column_values_to_be_null": (frozenset(["column"]), frozenset()),
    "expect_column_values_to_be_in_set": (frozenset(["column", "value_set"]), frozenset()),
    "expect_column_values_to_be_between": (frozenset(["column"]), _RANGE),
    "expect_column_value_lengths_to_be_between": (frozenset(["column"]), _RANGE),
    "expect_column_values_to_match_regex": (frozenset(["column", "regex"]), frozenset()),
    "expect_column_pair_values_to_be_equal": _PAIR,
    "expect_column_pair_values_a_to_be_greater_than_b": (_PAIR[0], _PAIR[1] | {"or_equal"}),
    "expect_table_row_count_to_be_between": (frozenset(), frozenset(["min_value", "max_value"])),
    "expect_column_values_to_be_unique": (frozenset(["column"]), frozenset()),
    "expect_compound_columns_to_be_unique": (frozenset(["column_list"]), frozenset()),
    "expect_column_values_to_reference": (frozenset(["column", "table", "target"]), frozenset()),
}
# what any of them may take: a row condition in the pandas syntax this engine translates
# (condition_sql), and what only concerns how Great Expectations reports
COMMON_ARGS = frozenset(
    ["row_condition", "condition_parser", "result_format", "meta", "notes", "description"]
)
CONDITION_PARSERS = ("pandas",)


def argument_error(name: str, kwargs: dict[str, Any]) -> str | None:
    """What is wrong with the arguments of an expectation translated here, or None (also for
    one this engine leaves to Great Expectations, which checks its own)."""
    if name not in TRANSLATED_ARGS:
        return None
    needed, optional = TRANSLATED_ARGS[name]
    unknown = sorted(set(kwargs) - needed - optional - COMMON_ARGS)
    if unknown:
        allowed = ", ".join(sorted(needed | optional))
        return f"{name}: unknown argument {unknown[0]!r} (it takes {allowed})"
    missing = sorted(needed - set(kwargs))
    if missing:
        return f"{name}: needs {missing[0]!r}"
    parser = kwargs.get("condition_parser")
    if parser is not None and parser not in CONDITION_PARSERS:
        return f"{name}: condition_parser {parser!r}: use pandas"
    return None
