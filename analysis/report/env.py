"""What every report page shares: the template environment, safe JSON for scripts, the
inlined Vega bundle, atomic writes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from analysis.files import write_atomic
from analysis.files_cache import cached_bytes, machine_cache
from analysis.formatting import date_text, plain, present, shorten_middle
from analysis.vocab import MACHINE_DRAFTED, VERDICTS, verdict_label
from analysis.yamlfile import http_url

__all__ = ["environment", "script_json", "vega_bundle", "write_atomic"]


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("analysis.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["num"] = _format_number
    env.filters["verdict_label"] = verdict_label
    env.filters["shorten"] = shorten_middle
    env.filters["date_text"] = date_text
    env.filters["present"] = present
    env.filters["url_link"] = url_link
    env.globals["verdicts"] = VERDICTS
    env.globals["machine_drafted"] = MACHINE_DRAFTED
    env.globals["root"] = ""  # pages in a subfolder pass "../"
    return env


def url_link(url: str | None) -> Markup:
    """An address as a link, only when it is an http or https address: any other scheme
    (``javascript:``, ``data:``, ``vbscript:``) is shown as text, never made clickable, whatever
    the loaders let through (docs/hostile-input.md, section 5)."""
    if not url:
        return Markup("")
    if http_url(url) is None:
        return Markup('<span class="url">{}</span>').format(url)
    return Markup('<a class="url" href="{}">{}</a>').format(url, url)


def _format_number(value: float | None) -> str:
    """A count as text: thousands separated, never in scientific notation (values with a
    kind go through ``present``)."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return plain(value, 4)


def script_json(value: Any) -> str:
    """JSON safe inside a <script> element: no ``</``, ``<!--`` or U+2028/9 can end it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def vega_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed as one script, safe to inline in a page. It depends on
    vl-convert's version alone and takes about a second to make: it is kept once per machine
    (:func:`machine_cache`), in ``cache_dir`` when there is no such folder."""
    import vl_convert

    bundle = cached_bytes(
        (machine_cache() or cache_dir) if cache_dir is not None else None,
        ("vega-bundle", vl_convert.__version__),
        lambda: vl_convert.javascript_bundle().encode("utf-8"),
        remember=True,
    ).decode("utf-8")
    return bundle.replace("</script", "<\\/script")
