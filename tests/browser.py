"""Opening built reports in a real headless Chromium (Debian's), with the network blocked."""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


requires_chromium = pytest.mark.skipif(
    chromium_path() is None,
    reason="no Chromium found (apt-get install chromium); .ci/run installs it in CI",
)


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    results: dict[str, Any] = field(default_factory=dict)


def visit(
    html: Path,
    script: str,
    screenshot: str | None = None,
    wait_for: str | None = None,
    width: int = 1280,
) -> PageVisit:
    """Load ``html`` from the file system, run ``script`` in it and return what happened."""
    from playwright.sync_api import sync_playwright

    outcome = PageVisit()
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch_persistent_context(
                profile,
                executable_path=chromium_path(),
                args=CHROMIUM_FLAGS,
                headless=True,
                viewport={"width": width, "height": 900},
                service_workers="block",
            )
            try:
                page = browser.new_page()

                def route(r: Any) -> None:
                    url = r.request.url
                    if url.startswith(("file://", "data:", "blob:", "about:")):
                        r.continue_()
                    else:
                        outcome.blocked.append(url)
                        r.abort()

                page.route("**/*", route)
                page.on(
                    "console", lambda m: m.type == "error" and outcome.console_errors.append(m.text)
                )
                page.on("pageerror", lambda e: outcome.page_errors.append(str(e)))
                page.goto(html.as_uri())
                if wait_for:
                    page.wait_for_function(wait_for, timeout=30_000)
                outcome.results = page.evaluate(script)
                if screenshot:
                    ARTIFACTS.mkdir(exist_ok=True)
                    page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    return outcome
