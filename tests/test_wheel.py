"""The package as a wheel: built, installed into a fresh virtual environment, and run on a copy
of the project with no access to this source tree."""

from __future__ import annotations

import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO, copy_project

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    source = out / "src"
    shutil.copytree(
        REPO,
        source,
        ignore=lambda folder, names: [
            n
            for n in names
            if n in (".venv", ".git", "__pycache__", "test-artifacts")
            or n.endswith(".egg-info")
            or (Path(folder) == REPO and n in ("data", "seeds", "reports", "tests", "build"))
        ],
    )
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    (found,) = out.glob("*.whl")
    return found


def test_wheel_carries_every_file_the_package_reads(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    package = REPO / "analysis"
    needed = {
        p.relative_to(REPO).as_posix()
        for p in package.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }
    assert needed - names == set()


def test_installed_wheel_builds_a_copy_of_the_project(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "-q",
            "--no-deps",
            str(wheel),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    # the libraries come from the project's environment; the package itself only from the wheel
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (Path(site) / "project-libraries.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    project = copy_project(tmp_path / "project")
    run = subprocess.run(
        [str(env_dir / "bin" / "analysis"), "build", "--validation", "sql", "--root", str(project)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=600,
    )
    assert run.returncode == 0, run.stderr
    where = subprocess.run(
        [str(python), "-c", "import analysis; print(analysis.__file__)"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=True,
    ).stdout
    assert str(REPO) not in where and str(env_dir) in where
    assert (project / "reports" / "index.html").is_file()
    assert (project / "data" / "warehouse.duckdb").is_file()
