"""What every report page shares: the template environment, safe JSON for scripts, the
inlined Vega bundle, atomic writes."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from analysis.files import write_atomic
from analysis.files_cache import cached_bytes
from analysis.formatting import date_text, plain, present, shorten_middle
from analysis.vocab import MACHINE_DRAFTED, VERDICTS, verdict_label

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
    env.globals["verdicts"] = VERDICTS
    env.globals["machine_drafted"] = MACHINE_DRAFTED
    env.globals["root"] = ""  # pages in a subfolder pass "../"
    return env


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


@cache
def vega_bundle(cache_dir: Path | None = None) -> str:
    """Vega, Vega-Lite and vega-embed as one script, safe to inline in a page."""
    import vl_convert

    bundle = cached_bytes(
        cache_dir,
        ("vega-bundle", vl_convert.__version__),
        lambda: vl_convert.javascript_bundle().encode("utf-8"),
    ).decode("utf-8")
    return bundle.replace("</script", "<\\/script")
