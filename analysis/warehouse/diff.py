"""What changed between two warehouses: verdict flips, claims and figures added or lost,
reference rows changed. The build keeps the previous warehouse as
``data/warehouse.previous.duckdb`` for this."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from analysis import threads
from analysis.errors import BadInput
from analysis.sqlnames import identifier, literal


@dataclass
class Changes:
    verdict_flips: list[tuple[str, str, str]] = field(default_factory=list)
    claims_added: list[str] = field(default_factory=list)
    claims_lost: list[str] = field(default_factory=list)
    figures_added: list[str] = field(default_factory=list)
    figures_lost: list[str] = field(default_factory=list)
    reference_rows: dict[str, tuple[int, int]] = field(default_factory=dict)  # table: (+, -)

    def summary(self) -> str:
        plus = sum(a for a, _ in self.reference_rows.values())
        minus = sum(b for _, b in self.reference_rows.values())
        return (
            f"{len(self.verdict_flips)} verdict flip(s), claims +{len(self.claims_added)} "
            f"-{len(self.claims_lost)}, figures +{len(self.figures_added)} "
            f"-{len(self.figures_lost)}, reference rows +{plus} -{minus}"
        )

    def lines(self) -> list[str]:
        out = [f"changes: {self.summary()}"]
        out += [f"verdict  {c}: {a} -> {b}" for c, a, b in self.verdict_flips]
        out += [f"claim +  {c}" for c in self.claims_added]
        out += [f"claim -  {c}" for c in self.claims_lost]
        out += [f"figure + {f}" for f in self.figures_added]
        out += [f"figure - {f}" for f in self.figures_lost]
        out += [f"reference {t}: +{a} -{b}" for t, (a, b) in sorted(self.reference_rows.items())]
        return out


_FIGURE_KEYS = """
    SELECT doc_id || ' ' || surface || ' #' || CAST(row_number() OVER (
               PARTITION BY doc_id, surface ORDER BY start_offset) AS VARCHAR) AS key
    FROM {db}.mentions {where}
"""


def diff(current: Path, previous: Path, same: Collection[str] = ()) -> Changes:
    """What changed from ``previous`` to ``current``. ``same``: documents whose figures are
    known to be the same rows in both (a carried warehouse's, docs/architecture.md), whose
    figures are not compared: a figure's key is its document's own."""
    for path in (current, previous):
        if not path.exists():
            raise BadInput(
                path, "no such warehouse (the previous one is kept from the second build on)"
            )
    con = duckdb.connect(config=threads.for_file(current, previous))
    try:
        for path, name in ((current, "cur"), (previous, "prev")):
            con.execute(f"ATTACH {literal(str(path))} AS {name} (READ_ONLY)")
        # both attached: no file beyond them is reachable from here on
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        changes = Changes()
        changes.verdict_flips = con.execute(
            "SELECT c.claim_id, p.final_verdict, c.final_verdict FROM cur.claim_verdicts c "
            "JOIN prev.claim_verdicts p USING (claim_id) "
            "WHERE c.final_verdict <> p.final_verdict ORDER BY 1"
        ).fetchall()
        changes.claims_added = [
            r[0]
            for r in con.execute(
                "SELECT claim_id FROM cur.claims EXCEPT SELECT claim_id FROM prev.claims ORDER BY 1"
            ).fetchall()
        ]
        changes.claims_lost = [
            r[0]
            for r in con.execute(
                "SELECT claim_id FROM prev.claims EXCEPT SELECT claim_id FROM cur.claims ORDER BY 1"
            ).fetchall()
        ]
        # a list's members, as a subquery: hashed once (NOT IN a literal list compares each
        # figure with every id: 211 s at 10,000 articles, against 0.55 s so)
        listed = ", ".join(literal(d) for d in sorted(same))
        where = f"WHERE doc_id NOT IN (SELECT unnest([{listed}]))" if same else ""
        cur_keys = _FIGURE_KEYS.format(db="cur", where=where)
        prev_keys = _FIGURE_KEYS.format(db="prev", where=where)
        changes.figures_added = [
            r[0] for r in con.execute(f"{cur_keys} EXCEPT {prev_keys} ORDER BY 1").fetchall()
        ]
        changes.figures_lost = [
            r[0] for r in con.execute(f"{prev_keys} EXCEPT {cur_keys} ORDER BY 1").fetchall()
        ]
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'cur' "
                "AND table_name LIKE 'ref\\_%' ESCAPE '\\' INTERSECT "
                "SELECT table_name FROM duckdb_tables() WHERE database_name = 'prev' ORDER BY 1"
            ).fetchall()
        ]
        counts = []  # every changed table's rows added and lost, in one query
        for table in _changed(con, tables):
            cur, prev = _rows("cur", table), _rows("prev", table)
            counts.append(
                f"SELECT {literal(table)}, (SELECT count(*) FROM ({cur} EXCEPT ALL {prev})), "
                f"(SELECT count(*) FROM ({prev} EXCEPT ALL {cur}))"
            )
        found = con.execute(" UNION ALL ".join(counts)).fetchall() if counts else []
        for table, added, lost in sorted(found):
            if added or lost:
                changes.reference_rows[table.removeprefix("ref_")] = (added, lost)
        return changes
    except duckdb.Error as err:
        raise BadInput(previous, f"cannot compare: {' '.join(str(err).split())}") from None
    finally:
        con.close()


def _rows(db: str, table: str) -> str:
    """A reference table's rows as compared: every column but the CSV line number."""
    return f"SELECT * EXCLUDE (row_no) FROM {db}.{identifier(table)}"


def _changed(con: duckdb.DuckDBPyConnection, tables: list[str]) -> list[str]:
    """The tables whose rows may differ between ``cur`` and ``prev``: those whose row count or
    sum of row hashes differs, in one pass (rows are compared one by one only for these; the
    same multiset of rows always gives the same count and sum)."""
    if not tables:
        return []
    # "_r" names the whole row: no column can be named so (they begin with a letter)
    prints = " UNION ALL ".join(
        f"SELECT {literal(table)}, {literal(db)}, count(*), sum(hash(_r)::HUGEINT) "
        f"FROM ({_rows(db, table)}) _r"
        for table in tables
        for db in ("cur", "prev")
    )
    found: dict[str, set[tuple]] = {}
    for table, _, n, total in con.execute(prints).fetchall():
        found.setdefault(table, set()).add((n, total))
    return [table for table in tables if len(found[table]) > 1]
