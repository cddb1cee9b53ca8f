"""The leadership dataset (docs/leaders.md): the views' arithmetic on small hand-computed cases,
the expectations on the heads table, the recomputation checks in the ledger."""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import duckdb
import pytest

from analysis.checks import leadership
from analysis.formatting import fmt
from analysis.reference.tables import load_table
from analysis.validation.run import validate_warehouse
from tests.conftest import build

ORGS_HEADER = (
    "organization_id,name,acronym,kind,founded_date,predecessor,in_ceb,in_ceb_source_id,"
    "in_gwl_2023,in_gwl_2024,head_title,source_id,valid_from,valid_to,notes"
)
HEADS_HEADER = (
    "organization_id,tenure_id,person,gender,nationality_iso3,nationality,term_start,"
    "term_start_precision,term_end,term_end_precision,office_basis,source_id,valid_from,"
    "valid_to,notes"
)
SOURCES = """sources:
- {id: own, publisher: Org, title: Heads, url: https://example.org/a, tier: primary,
   date_consulted: 2026-11-29, taken: heads}
- {id: copy, publisher: Wiki copy, title: Heads, url: https://example.org/b, tier: tertiary,
   date_consulted: 2026-11-29, taken: heads}
"""


def _table(folder: Path, name: str, header: str, rows: list[str]) -> None:
    (folder / f"{name}.csv").write_text("\n".join([header, *rows]) + "\n", "utf-8")
    columns = "".join(f"  {c}: {c}.\n" for c in header.split(","))
    (folder / f"{name}.source.yaml").write_text(
        f"table: {name}\ntitle: {name}\ncolumns:\n{columns}{SOURCES}", "utf-8"
    )


@pytest.fixture
def small(tmp_path: Path) -> dict:
    """Two organizations founded on 1 January 2000, as small as the rules allow to compute by
    hand: A led by a man then a woman (sitting); B led by a Portuguese man (sitting), with an
    acting woman inside his term and an undated later tenure; a tertiary row disagreeing on
    A's first start."""
    _table(
        tmp_path,
        "multilateral_organizations",
        ORGS_HEADER,
        [
            "A,Org A,A,other,2000-01-01,,true,own,true,,Head,own,2000-01-01,,",
            "B,Org B,B,other,2000-01-01,,true,own,,,Head,own,2000-01-01,,",
        ],
    )
    _table(
        tmp_path,
        "multilateral_heads",
        HEADS_HEADER,
        [
            "A,A-01,Man One,male,FRA,France,2000-01-01,day,2009-12-31,day,elected,own,"
            "2000-01-01,2009-12-31,",
            "A,A-01,Man One,male,FRA,France,2000-06,month,2009-12-31,day,elected,copy,"
            "2000-06,2009-12-31,disagreeing source",
            "A,A-02,Woman Two,female,KEN,Kenya,2010-01-01,day,,open,elected,own,2010-01-01,,",
            "B,B-01,Man Three,male,PRT,Portugal,2000-01-01,day,,open,appointed,own,2000-01-01,,",
            "B,B-02,Woman Acting,female,CAN,Canada,2005-01-01,day,2005-12-31,day,acting,own,"
            "2005-01-01,2005-12-31,",
            "B,B-03,Man Undated,male,CHN,China,,unknown,,unknown,elected,own,,,",
        ],
    )
    refs = {
        name: load_table(tmp_path / f"{name}.csv")
        for name in ("multilateral_organizations", "multilateral_heads")
    }
    return refs


AS_OF = dt.date(2019, 12, 31)


def _days(first: dt.date, last: dt.date) -> int:
    return (last - first).days + 1


def test_views_recompute_a_small_case_by_hand(small: dict) -> None:
    con = leadership.connection(small, (AS_OF,))
    each_org = _days(dt.date(2000, 1, 1), AS_OF)
    woman = _days(dt.date(2010, 1, 1), AS_OF)  # A's second head; B's acting woman never leads
    man = _days(dt.date(2000, 1, 1), dt.date(2009, 12, 31)) + each_org
    every = leadership.one(con, "SELECT * FROM leaders_summary WHERE scope = 'all'", [])
    assert every["organization_days"] == 2 * each_org
    assert (every["woman_days"], every["man_days"]) == (woman, man)
    assert every["women_share_of_time_percent"] == pytest.approx(100 * woman / (woman + man))
    assert every["coverage_percent"] == pytest.approx(100.0)
    # leaders: Man One (once, though two sources), Woman Two, Man Three; the acting woman and
    # the undated tenure are counted apart
    assert (every["leaders"], every["women_leaders"], every["men_leaders"]) == (3, 1, 2)
    assert (every["acting_leaders"], every["undated_tenures"]) == (1, 1)
    assert every["organizations_never_led_by_woman"] == 1  # B
    assert every["organizations_led_by_woman_once"] == 1  # A
    assert every["currently_led_by_woman_percent"] == pytest.approx(50.0)
    gwl = leadership.one(con, "SELECT * FROM leaders_summary WHERE scope = 'gwl_2023'", [])
    assert gwl["women_share_of_time_percent"] == pytest.approx(100 * woman / each_org)
    posts = leadership.one(
        con, "SELECT * FROM leaders_country_posts WHERE nationality_iso3 = 'PRT'", []
    )
    assert (posts["posts"], posts["ceb_organizations_with_known_head"]) == (1, 2)
    # the primary row of A-01 is used, not the tertiary one that starts in June 2000
    first = leadership.one(con, "SELECT * FROM leaders_tenures WHERE tenure_id = 'A-01'", [])
    assert (first["source_tier"], first["source_rows"]) == ("primary", 2)


# The rule of docs/leaders.md read literally, one row per organization and day: the oracle the
# spells (leaders_spells, whose day counts are arithmetic on their ends) must agree with.
DAY_GRID = """
CREATE TABLE day_grid AS
WITH bounds AS (
    SELECT o.organization_id,
           greatest(DATE '1945-01-01',
                    least(CAST(CASE length(o.founded_date)
                                   WHEN 4 THEN o.founded_date || '-01-01'
                                   WHEN 7 THEN o.founded_date || '-01'
                                   ELSE o.founded_date END AS DATE),
                          min(t.start_day))) AS first_day,
           least((SELECT max(as_of) FROM leaders_dates),
                 CAST(CASE length(o.valid_to) WHEN 4 THEN o.valid_to || '-01-01'
                                              WHEN 7 THEN o.valid_to || '-01'
                                              ELSE o.valid_to END AS DATE)) AS last_day
    FROM ref_multilateral_organizations o
    LEFT JOIN leaders_tenures t USING (organization_id)
    GROUP BY o.organization_id, o.founded_date, o.valid_to
),
days AS (
    SELECT b.organization_id, CAST(g.d AS DATE) AS day
    FROM bounds b, generate_series(b.first_day, b.last_day, INTERVAL 1 DAY) g(d)
)
SELECT days.organization_id, days.day, t.tenure_id, t.person, t.gender, t.nationality_iso3,
       t.acting
FROM days
LEFT JOIN (SELECT *, CASE WHEN sitting THEN DATE '9999-12-31' ELSE end_day END AS last_day
           FROM leaders_tenures WHERE dated) t
       ON t.organization_id = days.organization_id
      AND days.day BETWEEN t.start_day AND t.last_day
QUALIFY row_number() OVER (PARTITION BY days.organization_id, days.day
                           ORDER BY t.acting NULLS LAST, t.start_day NULLS LAST,
                                    t.tenure_no NULLS LAST) = 1
"""


def _agree_with_the_day_grid(con: duckdb.DuckDBPyConnection) -> int:
    con.execute(DAY_GRID)
    grid = con.execute(
        "SELECT organization_id, day, tenure_id FROM day_grid ORDER BY ALL"
    ).fetchall()
    spells = con.execute(
        """SELECT organization_id, CAST(g.d AS DATE), tenure_id
           FROM leaders_spells, generate_series(first_day, last_day, INTERVAL 1 DAY) g(d)
           ORDER BY ALL"""
    ).fetchall()
    assert spells == grid
    counted = con.execute(
        """SELECT as_of, organization_id, count(*), count(*) FILTER (WHERE gender = 'female'),
                  count(*) FILTER (WHERE gender = 'male'), count(*) FILTER (WHERE tenure_id IS NULL)
           FROM leaders_dates d JOIN day_grid x ON x.day <= d.as_of GROUP BY ALL ORDER BY ALL"""
    ).fetchall()
    summed = con.execute(
        """SELECT as_of, organization_id, organization_days, woman_days, man_days, no_head_days
           FROM leaders_by_organization WHERE organization_days > 0 ORDER BY ALL"""
    ).fetchall()
    assert summed == counted
    con.execute("DROP TABLE day_grid")
    return len(grid)


def test_spells_count_the_days_of_the_real_table() -> None:
    folder = Path(__file__).resolve().parent.parent / "data" / "reference"
    refs = {
        name: load_table(folder / f"{name}.csv")
        for name in ("multilateral_organizations", "multilateral_heads")
    }
    days = (dt.date(1950, 6, 30), dt.date(2019, 1, 1), dt.date(2023, 3, 29))
    assert _agree_with_the_day_grid(leadership.connection(refs, days)) > 800_000


def test_spells_count_the_days_of_random_overlapping_tenures(tmp_path: Path) -> None:
    """Random tenures: overlaps, acting heads inside terms, gaps, open and undated terms, partial
    dates; every day's head from the spells is the day grid's."""
    rng = random.Random(20261129)
    orgs, heads = [], []
    for o in range(12):
        org = f"O{o}"
        founded = f"{rng.randint(1940, 1990)}"
        ended = f"{rng.randint(2000, 2030)}-0{rng.randint(1, 9)}" if rng.random() < 0.3 else ""
        gwl = "true" if o % 2 else "false"
        orgs.append(
            f"{org},Org {o},{org},other,{founded},,true,own,{gwl},,Head,own,{founded},{ended},"
        )
        start = dt.date(int(founded), 1, 1) + dt.timedelta(days=rng.randint(-4000, 400))
        for n in range(1, rng.randint(2, 9)):
            length = rng.randint(1, 4000)
            end = start + dt.timedelta(days=length)
            acting = rng.random() < 0.25
            basis = "acting" if acting else "elected"
            s_text = start.isoformat()[: rng.choice((4, 7, 10, 10))]
            s_prec = {4: "year", 7: "month", 10: "day"}[len(s_text)]
            if rng.random() < 0.1:
                s_text, s_prec = "", "unknown"
            e_text, e_prec = end.isoformat(), "day"
            if rng.random() < 0.15:
                e_text, e_prec = "", "open"
            gender = rng.choice(("female", "male", "male", ""))
            heads.append(
                f"{org},{org}-{n:02d},Person {o}-{n},{gender},FRA,France,{s_text},{s_prec},"
                f"{e_text},{e_prec},{basis},own,,,"
            )
            # the next head starts after a gap, on the day after, or inside this term
            start = end + dt.timedelta(days=rng.choice((1, 1, rng.randint(-300, 900))))
            start = max(start, dt.date(1900, 1, 2))
    _table(tmp_path, "multilateral_organizations", ORGS_HEADER, orgs)
    _table(tmp_path, "multilateral_heads", HEADS_HEADER, heads)
    refs = {
        name: load_table(tmp_path / f"{name}.csv")
        for name in ("multilateral_organizations", "multilateral_heads")
    }
    days = (dt.date(1985, 2, 28), dt.date(2024, 12, 31))
    assert _agree_with_the_day_grid(leadership.connection(refs, days)) > 100_000


def test_views_move_with_the_date(small: dict) -> None:
    """Before the woman took office, A was never led by a woman and nobody was led by one."""
    day = dt.date(2009, 12, 31)
    con = leadership.connection(small, (day,))
    every = leadership.one(con, "SELECT * FROM leaders_summary WHERE scope = 'all'", [])
    assert every["women_leaders"] == 0 and every["woman_days"] == 0
    assert every["organizations_never_led_by_woman"] == 2
    assert every["organization_days"] == 2 * _days(dt.date(2000, 1, 1), day)


def test_unknown_dates_are_left_out_of_time_and_reported(small: dict, tmp_path: Path) -> None:
    """A head whose end is unknown leaves days with no known head: excluded from the share,
    shown in coverage."""
    path = tmp_path / "multilateral_heads.csv"
    text = path.read_text("utf-8").replace(
        "Woman Two,female,KEN,Kenya,2010-01-01,day,,open",
        "Woman Two,female,KEN,Kenya,,unknown,,unknown",
    )
    path.write_text(text.replace(",2010-01-01,,\n", ",,,\n"), "utf-8")
    small["multilateral_heads"] = load_table(path)
    con = leadership.connection(small, (AS_OF,))
    every = leadership.one(con, "SELECT * FROM leaders_summary WHERE scope = 'all'", [])
    gap, each_org = _days(dt.date(2010, 1, 1), AS_OF), _days(dt.date(2000, 1, 1), AS_OF)
    assert every["no_head_days"] == gap and every["woman_days"] == 0
    assert every["coverage_percent"] == pytest.approx(100 * (2 * each_org - gap) / (2 * each_org))
    assert every["undated_tenures"] == 2  # Woman Two has no date that places her before the day


def _warehouse(built: Path) -> Path:
    return built / "data" / "warehouse.duckdb"


@pytest.mark.parametrize(
    ("mutation", "column"),
    [
        # FAO's 9th tenure (2012-2019) moved into its 8th (1994-2011): two non-acting heads
        (
            "UPDATE ref_multilateral_heads SET term_start = '2005' WHERE tenure_id = 'FAO-09'",
            "overlaps_another_head",
        ),
        # FAO (founded 1945, no predecessor) headed from 1930
        (
            "UPDATE ref_multilateral_heads SET term_start = '1930' WHERE tenure_id = 'FAO-01'",
            "starts_before_founding",
        ),
        (
            "UPDATE ref_multilateral_heads SET gender = 'unknown' WHERE tenure_id = 'FAO-01'",
            "gender",
        ),
        (
            "UPDATE ref_multilateral_heads SET nationality_iso3 = 'XXX' WHERE tenure_id = 'FAO-01'",
            "nationality_iso3",
        ),
    ],
)
def test_expectations_fail_on_bad_heads(
    built: Path, tmp_path: Path, mutation: str, column: str
) -> None:
    expectations = built / "data" / "expectations"
    clean = validate_warehouse(_warehouse(built), expectations, "sql")
    assert not [r for r in clean.results if r.table == "ref_multilateral_heads" and not r.success]
    copy = tmp_path / "bad.duckdb"
    shutil.copy(_warehouse(built), copy)
    with duckdb.connect(str(copy)) as con:
        con.execute(mutation)
    outcome = validate_warehouse(copy, expectations, "sql")
    failed = [(r.table, r.column) for r in outcome.results if not r.success]
    assert ("ref_multilateral_heads", column) in failed


def _checks(con: duckdb.DuckDBPyConnection, claim: str) -> list[dict]:
    cur = con.execute("SELECT * FROM claim_checks WHERE claim_id = ? ORDER BY check_id", [claim])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]


def test_twelve_percent_is_checked_against_the_report_and_the_recomputation(
    built: Path,
) -> None:
    with duckdb.connect(str(_warehouse(built)), read_only=True) as con:
        checks = _checks(con, "gwl-women-twelve-percent")
        final = con.execute(
            "SELECT final_verdict FROM claim_verdicts WHERE claim_id = 'gwl-women-twelve-percent'"
        ).fetchone()[0]
        ours = dict(
            con.execute(
                "SELECT scope, women_share_of_time_percent FROM leaders_summary "
                "WHERE label = 'document date'"
            ).fetchall()
        )
        published = con.execute(
            "SELECT value FROM ref_gwl_voices_leadership WHERE report_year = 2023 AND "
            "measure = 'share_of_time_women_led_percent' AND source_id = 'gwl_47_335'"
        ).fetchone()[0]
    assert [c["recipe"] for c in checks] == ["ratio", "recompute", "recompute"]
    assert checks[0]["verdict"] == "correct" and checks[0]["computed_value"] == published
    for check, scope in zip(checks[1:], ("gwl_2023", "all"), strict=True):
        # GWL Voices' 33 organizations are not all known: the recomputation never decides
        assert check["verdict"] == "unverifiable" and check["computed_value"] is None
        text = check["explanation"]
        assert f"{fmt(ours[scope])} %" in text
        assert f"published: {fmt(published)}" in text
        assert f"a difference of {fmt(ours[scope] - published)} points" in text
        assert "other organizations than the claim's" in text
    assert final == "correct"  # the report says 12 %, as the article quotes it


def test_many_never_led_by_a_woman_is_shown_by_the_recomputation(built: Path) -> None:
    with duckdb.connect(str(_warehouse(built)), read_only=True) as con:
        checks = _checks(con, "gwl-many-never-led-by-a-woman")
        never = con.execute(
            "SELECT organizations_never_led_by_woman FROM leaders_summary "
            "WHERE label = 'document date' AND scope = 'gwl_2023'"
        ).fetchone()[0]
    assert [c["verdict"] for c in checks] == ["correct", "correct"]
    assert checks[1]["computed_value"] == never > 0


def test_portugal_share_depends_on_when_the_comment_was_written(built: Path) -> None:
    """On 29 March 2023 the UNOPS post was held by an acting Dane; the Portuguese appointee
    took office on 14 April, before the vote the comment anticipates: the recomputation gives
    two verdicts within the comment's possible dates and decides nothing."""
    with duckdb.connect(str(_warehouse(built)), read_only=True) as con:
        checks = _checks(con, "comment1-portugal-leadership-share")
    recomputed = checks[-1]
    assert recomputed["recipe"] == "recompute" and recomputed["verdict"] == "unverifiable"
    assert "29 March 2023" in recomputed["explanation"]
    assert "14 April 2023" in recomputed["explanation"]


def test_recompute_decides_when_the_date_is_fixed(project: Path) -> None:
    """Without the window (the comment judged on the article's date alone) the recomputation
    covers every CEB member and decides: 2 of 31 is not 10 %."""
    claims = project / "data" / "claims" / "passblue-2023-iom-director-general-race.yaml"
    text = claims.read_text("utf-8")
    start = text.index("        # the comment has no date of its own")
    end = text.index("label: the 2023 IOM election}", start)
    claims.write_text(text[:start] + text[end + len("label: the 2023 IOM election}") + 1 :])
    build(project)
    with duckdb.connect(str(_warehouse(project)), read_only=True) as con:
        checks = _checks(con, "comment1-portugal-leadership-share")
        posts = con.execute(
            "SELECT share_of_posts_percent FROM leaders_country_posts "
            "WHERE nationality_iso3 = 'PRT' AND label = 'document date'"
        ).fetchone()[0]
    assert checks[-1]["verdict"] == "incorrect"
    assert checks[-1]["computed_value"] == pytest.approx(posts)
