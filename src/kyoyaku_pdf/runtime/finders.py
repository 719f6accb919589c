"""A finder for a few named modules: found as the path finder finds them, their loader wrapped.

How deferred_regex.py (patterns compiled on first use) and lazy_modules.py (code run on first
use) change the way some of a library's modules run, for those modules alone: every other import
goes on to the usual finders untouched.
"""

from __future__ import annotations

import importlib.machinery
import sys
from collections.abc import Callable, Sequence
from types import ModuleType
from typing import Any


class WrappingFinder:
    """Finds the modules of ``names`` with ``wrap(loader)`` as their loader.

    The protocol importlib calls (find_spec), not a subclass of importlib.abc's: that module
    imports importlib.resources with pathlib, tempfile and zipfile (~10 ms) before a build has run."""

    def __init__(self, names: frozenset[str], wrap: Callable[[Any], Any]) -> None:
        self.names, self.wrap = names, wrap

    def find_spec(self, name: str, path: Sequence[str] | None, target: ModuleType | None = None
                  ) -> importlib.machinery.ModuleSpec | None:
        if name not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is not None and hasattr(spec.loader, "exec_module"):
            spec.loader = self.wrap(spec.loader)
        return spec


def install(names: frozenset[str], wrap: Callable[[Any], Any]) -> None:
    """Put the finder of ``names`` first (once per process: a second call with them does nothing)."""
    if not any(isinstance(f, WrappingFinder) and f.names is names for f in sys.meta_path):
        sys.meta_path.insert(0, WrappingFinder(names, wrap))
