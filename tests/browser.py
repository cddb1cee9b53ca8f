"""Opening built reports in a real headless Chromium (Debian's), with the network blocked."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
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
SCREENSHOT_HEIGHT = 4000  # CSS px of a page kept as a screenshot, from its top


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def axe_source() -> str:
    """axe-core's script, as bundled by axe-playwright-python (no network)."""
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


requires_chromium = pytest.mark.skipif(
    chromium_path() is None,
    reason="no Chromium found (apt-get install chromium); .ci/run installs it in CI",
)


@dataclass
class PageVisit:
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    results: Any = None


@contextmanager
def browser_context(width: int = 1280) -> Iterator[Any]:
    """One headless Chromium with a fresh profile, service workers blocked."""
    from playwright.sync_api import sync_playwright

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
                yield browser
            finally:
                browser.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def open_page(
    browser: Any,
    html: Path,
    script: str,
    width: int = 1280,
    wait_for: str | None = None,
    axe: bool = False,
    screenshot: str | None = None,
    actions: Any = None,
) -> PageVisit:
    """Load ``html`` from the file system in ``browser`` at ``width`` px, run ``actions(page)``
    then ``script`` in it, and return what happened; with ``axe``, axe-core is loaded into the
    page first (the script can call ``axe.run``); with ``screenshot``, the page's first screens
    are kept as loaded, before ``actions`` and ``script``."""
    outcome = PageVisit()
    page = browser.new_page()
    try:
        page.set_viewport_size({"width": width, "height": 900})

        def route(r: Any) -> None:
            url = r.request.url
            if url.startswith(("file://", "data:", "blob:", "about:")):
                r.continue_()
            else:
                outcome.blocked.append(url)
                r.abort()

        def console(m: Any) -> None:
            if m.type == "error":
                outcome.console_errors.append(m.text)
            elif m.type == "warning":
                outcome.console_warnings.append(m.text)

        page.route("**/*", route)
        page.on("console", console)
        page.on("pageerror", lambda e: outcome.page_errors.append(str(e)))
        page.goto(html.as_uri())
        if wait_for:
            page.wait_for_function(wait_for, timeout=30_000)
        if screenshot:  # the page as a reader first sees it, before any script changes it
            ARTIFACTS.mkdir(exist_ok=True)
            # the first screens only: a whole page (the index is 75,000 px tall on a phone)
            # costs seconds and is no easier to look at
            top = {"x": 0, "y": 0, "width": width, "height": SCREENSHOT_HEIGHT}
            page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True, clip=top)
        if axe:
            page.evaluate(axe_source())
        if actions is not None:
            actions(page)
        outcome.results = page.evaluate(script)
    finally:
        page.close()
    return outcome


def visit(
    html: Path,
    script: str,
    screenshot: str | None = None,
    wait_for: str | None = None,
    width: int = 1280,
    axe: bool = False,
    actions: Any = None,
    browser: Any = None,
) -> PageVisit:
    """Load ``html`` in a new page of ``browser`` (the ``chromium`` fixture's, shared by a
    module's tests), else of a browser of its own, run ``script`` in it and return what
    happened."""
    if browser is not None:
        return open_page(browser, html, script, width, wait_for, axe, screenshot, actions)
    with browser_context(width) as own:
        return open_page(own, html, script, width, wait_for, axe, screenshot, actions)
