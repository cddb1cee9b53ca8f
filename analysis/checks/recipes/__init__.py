"""Check recipes, one module each, found by the registry below.

A recipe module defines ``RECIPE = Recipe(...)``: its name, the fields a check of it takes, a
one-line summary (printed in the docs table and in `analysis claims --help`) and the function
that computes a value and a verdict. Adding a recipe is adding a module here, plus its docs
(docs/claims.md, whose recipes table a test compares with this registry) and its tests.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.checks.model import Context, Value
    from analysis.claims.register import Claim, Figure

# What a recipe returns: computed value, verdict, explanation, tolerance rule, operands used.
Outcome = tuple[float | None, str, str, str, list["Value"]]


@dataclass(frozen=True)
class Recipe:
    name: str
    fields: frozenset[str]
    summary: str
    run: Callable[[Claim, dict[str, Any], Context, str, Figure | None], Outcome]
    stated_required: bool = True


@cache
def registry() -> dict[str, Recipe]:
    """Every recipe of this package, by name, in module-name order."""
    found: dict[str, Recipe] = {}
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        recipe = getattr(module, "RECIPE", None)
        if not isinstance(recipe, Recipe):
            raise RuntimeError(f"{module.__name__} defines no RECIPE")
        found[recipe.name] = recipe
    return found


def recipe_names() -> tuple[str, ...]:
    return tuple(registry())
