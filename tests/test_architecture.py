"""The package's shape: data flows one way, each fact is declared once, every extension point
(recipe, chart, command) is documented."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from analysis import vocab
from analysis.charts import registry as chart_registry
from analysis.checks.recipes import registry as recipe_registry
from analysis.cli import cli
from analysis.warehouse.catalog import TABLES, schema_sql
from tests.conftest import REPO

PACKAGE = REPO / "analysis"

# Stages in the order data flows; a module may import its own stage and earlier ones only.
STAGES = [
    {
        "errors",
        "vocab",
        "project",
        "files",
        "files_cache",
        "yamlfile",
        "formatting",
        "output",
        "sqlnames",
        "folding",
        "workers",
        "threads",
        "interrupts",
    },
    {"documents"},
    {"figures"},
    {"reference"},
    {"claims"},
    {"relations"},
    {"checks"},
    {"warehouse"},
    {"validation"},
    {"charts"},
    {"report"},
    {"build"},
    {"cli", "__main__", "__init__"},
]


def _stage(module: str) -> int:
    first = module.split(".")[1] if module.startswith("analysis.") else module
    for i, names in enumerate(STAGES):
        if first in names:
            return i
    raise AssertionError(f"module {module} belongs to no stage; add it to STAGES")


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(REPO).with_suffix("").parts
        out.append((".".join(parts), path))
    return out


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("analysis"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("analysis")}
    return found


def test_data_flows_one_way() -> None:
    backwards = []
    for module, path in _modules():
        if module in ("analysis.__init__", "analysis.__main__", "analysis.cli"):
            continue
        own = _stage(module)
        for imported in _imports(path):
            if imported != "analysis" and _stage(imported) > own:
                backwards.append(f"{module} imports {imported}")
    assert backwards == []


def test_cli_imports_nothing_heavy_at_start() -> None:
    imported = _imports(PACKAGE / "cli.py")
    top_level = {
        n.module
        for n in ast.parse((PACKAGE / "cli.py").read_text("utf-8")).body
        if isinstance(n, ast.ImportFrom) and n.module
    }
    # each of these imports the standard library alone
    assert top_level & imported <= {"analysis.errors", "analysis.vocab", "analysis.interrupts"}


def test_the_validator_starts_before_duckdb_is_imported() -> None:
    """The command line starts the validator (its Great Expectations import is the longest
    part of a small build) before it imports the build's own modules: the helpers that start
    it import neither DuckDB nor the validation."""
    probe = (
        "import sys, analysis.build.helpers; print(sorted(m for m in sys.modules if m in "
        "('duckdb', 'polars', 'analysis.validation.run')))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, check=True
    )
    assert done.stdout.strip() == "[]"


def test_every_recipe_is_documented() -> None:
    docs = (REPO / "docs" / "claims.md").read_text("utf-8")
    table = re.findall(r"^\| `(\w+)` \|", docs, flags=re.M)
    assert sorted(table) == sorted(recipe_registry()), "docs/claims.md recipes table"
    for recipe in recipe_registry().values():
        assert recipe.summary and "stated" in recipe.fields
        help_text = CliRunner().invoke(cli, ["claims", "--help"]).output
        assert re.search(rf"^  {recipe.name} +\S", help_text, flags=re.M), recipe.name


def test_every_chart_is_documented_and_in_the_help() -> None:
    readme = (REPO / "README.md").read_text("utf-8")
    report_help = CliRunner().invoke(cli, ["report", "--help"]).output
    for chart in chart_registry().values():
        assert f"`{chart.name}`" in readme, f"README does not describe chart {chart.name}"
        assert chart.name in report_help and chart.heading in report_help
        for view in chart.views:
            assert (PACKAGE / "warehouse" / "views" / f"{view}.sql").is_file()


def test_each_chart_is_named_as_its_module() -> None:
    """So that a claim's chart can be checked by the modules' names, without importing them."""
    from analysis.charts import module_names

    assert module_names() == tuple(sorted(chart_registry())) and module_names()


def test_every_command_has_an_example_in_its_help() -> None:
    runner = CliRunner()
    readme = (REPO / "README.md").read_text("utf-8")
    for name in cli.commands:
        text = runner.invoke(cli, [name, "--help"]).output
        assert "Example:" in text, f"`analysis {name} --help` has no example"
        assert f"analysis {name}" in readme, f"README does not mention `analysis {name}`"


def test_vocabularies_are_declared_once() -> None:
    """No module but vocab.py spells out a list of verdicts, kinds or sections."""
    lists = {
        "verdicts": set(vocab.MACHINE_VERDICTS),
        "kinds": set(vocab.MENTION_KINDS),
        "sections": set(vocab.SECTION_KINDS),
    }
    copies = []
    for module, path in _modules():
        if module == "analysis.vocab":
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                strings = {
                    e.value
                    for e in node.elts
                    if isinstance(e, ast.Constant) and isinstance(e.value, str)
                }
                for name, vocabulary in lists.items():
                    if len(strings & vocabulary) >= 3:
                        copies.append(f"{module}:{node.lineno} copies the {name}")
    for path in sorted((REPO / "data" / "expectations").glob("*.yaml")):
        text = path.read_text("utf-8")
        if sum(v in text for v in vocab.MACHINE_VERDICTS) >= 3:
            copies.append(f"{path.name} copies the verdicts")
    assert copies == []


def test_ids_are_built_in_one_place() -> None:
    pattern = re.compile(r"""f["'][^"']*\{[^}]*\}:\{[^}]*\}-\{""")
    offenders = [
        module
        for module, path in _modules()
        if module != "analysis.vocab" and pattern.search(path.read_text("utf-8"))
    ]
    assert offenders == []


def test_catalog_declares_each_table_once_with_documentation() -> None:
    names = [t.name for t in TABLES]
    assert len(names) == len(set(names))
    for table in TABLES:
        assert table.description and set(table.key) <= set(table.column_names)
        for column in table.columns:
            assert column.description, f"{table.name}.{column.name}"
            assert "{values" not in column.comment, f"{table.name}.{column.name} has no values"
    assert schema_sql().count("CREATE TABLE") == len(TABLES)


@pytest.mark.parametrize("table", [t.name for t in TABLES])
def test_the_warehouse_matches_the_catalog(built: Path, table: str) -> None:
    import duckdb

    from analysis.warehouse.catalog import TABLE

    declared = TABLE[table]
    with duckdb.connect(str(built / "data" / "warehouse.duckdb"), read_only=True) as con:
        stored = con.execute(
            "SELECT column_name, data_type, comment FROM duckdb_columns() WHERE table_name = ? "
            "ORDER BY column_index",
            [table],
        ).fetchall()
    assert stored == [(c.name, c.type, c.comment) for c in declared.columns]


def _loose_encodings(node: ast.expr) -> list[ast.expr]:
    """The parts of an encoding value Altair would have to wrap itself: a shorthand string,
    a dict or an ``alt.value(...)``, alone or in a list."""
    if isinstance(node, ast.List | ast.Tuple):
        return [loose for el in node.elts for loose in _loose_encodings(el)]
    if isinstance(node, ast.Constant | ast.JoinedStr | ast.Dict):
        return [node]
    func = node.func if isinstance(node, ast.Call) else None
    if (
        isinstance(func, ast.Attribute)
        and func.attr == "value"
        and isinstance(func.value, ast.Name)
    ):
        return [node]
    return []


def test_chart_encodings_are_channel_objects() -> None:
    """Altair turns a shorthand ("label:N") or a value dict into a channel through its schema
    (``from_dict``, about 5 ms each, 40 of them in a seed report); the charts write the
    channel (``alt.Text("label:N")``, ``alt.XValue(0)``), which it takes as it is and which
    gives the same spec."""
    found = []
    for path in sorted((PACKAGE / "charts").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "encode":
                for kw in node.keywords:
                    for loose in _loose_encodings(kw.value):
                        found.append(f"{path.name}:{loose.lineno} {kw.arg}={ast.unparse(loose)}")
    assert found == []
