"""`analysis extract` on files of every sort, through the real command line."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.conftest import cli, error_line


def test_json_on_any_text_file(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Budget\n\nThe agency spent $2.5 billion, nearly 40% more, in 2021.\n", "utf-8")
    done = cli("extract", str(f), "--format", "json")
    assert done.returncode == 0, done.stderr
    rows = json.loads(done.stdout)
    assert [(r["text"], r["kind"], r["value"], r["approx"]) for r in rows] == [
        ("$2.5 billion", "money", 2_500_000_000, None),
        ("40%", "percent", 40, "nearly"),
        ("2021", "year", 2021, None),
    ]
    text = f.read_text("utf-8")
    assert all(text[r["start"] : r["end"]] == r["text"] for r in rows)


def test_csv_and_table_formats(tmp_path: Path) -> None:
    f = tmp_path / "note.txt"
    f.write_text("Title\n\nIt has 175 member states.\n", "utf-8")
    done = cli("extract", str(f), "--format", "csv")
    assert done.returncode == 0
    (row,) = list(csv.DictReader(io.StringIO(done.stdout)))
    assert (row["text"], row["unit"]) == ("175", "member states")
    table = cli("extract", str(f))
    assert table.returncode == 0 and "175" in table.stdout
    assert "note:" not in table.stderr  # within the bound: the whole table, nothing to say


def test_the_table_shows_a_bounded_number_of_figures_and_says_so(tmp_path: Path) -> None:
    """An aligned table needs every row for its widths (a 10 MB text took minutes): it shows
    the first TABLE_MAX_ROWS and says on standard error how many there are and how to get all
    of them; CSV still has every one."""
    from analysis.output import TABLE_MAX_ROWS

    line = "In 2001 the fund paid $5 million.\n"  # two figures a line
    path, half = tmp_path / "long.txt", tmp_path / "half.txt"  # names of one length
    path.write_text(line * TABLE_MAX_ROWS, "utf-8")
    half.write_text(line * (TABLE_MAX_ROWS // 2), "utf-8")  # exactly TABLE_MAX_ROWS figures
    every = list(csv.DictReader(io.StringIO(cli("extract", str(path), "--format", "csv").stdout)))
    assert len(every) == 2 * TABLE_MAX_ROWS
    done, whole = cli("extract", str(path)), cli("extract", str(half))
    assert done.returncode == 0 and whole.returncode == 0 and "note:" not in whole.stderr
    assert done.stdout == whole.stdout.replace("half.txt", "long.txt")  # the first rows alone
    assert (
        f"note: the table shows the first {TABLE_MAX_ROWS:,} of {2 * TABLE_MAX_ROWS:,} rows"
        in done.stderr
    )


def test_empty_file_gives_no_figures(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    done = cli("extract", str(f), "--format", "json")
    assert done.returncode == 0
    assert json.loads(done.stdout) == []


def test_non_utf8_names_file_and_byte_offset(tmp_path: Path) -> None:
    f = tmp_path / "latin1.txt"
    f.write_bytes("Caf\u00e9 costs 5 euros.".encode("latin-1"))
    done = cli("extract", str(f), "--format", "json")
    assert done.returncode == 2
    line = error_line(done)
    assert "latin1.txt" in line and "byte offset 3" in line
    assert done.stdout == ""


def test_binary_file_is_refused(tmp_path: Path) -> None:
    f = tmp_path / "image.png"
    f.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    done = cli("extract", str(f))
    assert done.returncode == 2
    line = error_line(done)
    assert "image.png" in line and "binary" in line


def test_missing_file_and_folder(tmp_path: Path) -> None:
    missing = cli("extract", str(tmp_path / "nope.txt"))
    assert missing.returncode == 2 and "nope.txt: no such file" in error_line(missing)
    folder = cli("extract", str(tmp_path))
    assert folder.returncode == 2 and "is a folder" in error_line(folder)


def test_large_file_memory_grows_no_faster_than_its_size(tmp_path: Path) -> None:
    """Peak memory of extracting 4 MB and 10 MB: the increase stays within a constant factor
    of the added bytes (measured, generously bounded: not a timing assertion). Both are at
    least one extraction chunk (4 million characters), so the growth measured is the text's,
    not a chunk filling up (about 11 MB a MB here, against 40 from 2 MB and 100 unchunked)."""
    import subprocess
    import sys

    paragraph = (
        "In 2021, the US contributed $668 million, approximately 67 percent of the total, "
        "or $998 million; some 19,000 staff in 171 countries served 258 million or so people.\n"
    )

    def peak_rss_kb(n_bytes: int) -> int:
        f = tmp_path / f"big-{n_bytes}.txt"
        f.write_text(paragraph * (n_bytes // len(paragraph)), "utf-8")
        code = (
            "import resource, sys\n"
            "from pathlib import Path\n"
            "from analysis.figures.extract import extract_file\n"
            f"extract_file(Path({str(f)!r}), None, None)\n"
            "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)\n"
        )
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        )
        return int(done.stdout.strip())

    small, large = peak_rss_kb(4_000_000), peak_rss_kb(10_000_000)
    added_mb = 6
    grew_mb = (large - small) / 1024
    assert grew_mb < 60 * added_mb, f"peak RSS grew {grew_mb:.0f} MB for {added_mb} MB of text"
