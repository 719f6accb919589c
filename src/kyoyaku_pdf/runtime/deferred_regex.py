"""Regular expressions ReportLab (and a few other modules, MODULES) compile when imported and a build
never uses: compiled on first use.

``reportlab.platypus.paragraph`` compiles, as it is imported, a URL pattern over the whole Basic
Multilingual Plane with IGNORECASE (~35 ms on a quiet machine: a tenth of a whole ``build``), and
``reportlab.lib.textsplit`` another wide one; both serve ReportLab's own Paragraph, which
kyoyaku-pdf never lays out, yet every import of platypus pays for them. The others are smaller
(~15 ms together, measured by timing ``re``'s compiler through a build): PyYAML's pure-Python
reader, which libyaml replaces for every well-formed file, pikepdf's XMP cleaners, version parsers
and text wrappers nothing calls. Each module's patterns are used only through their methods
(``pattern.search(…)``), which is all a deferred pattern supports. While exactly those modules
run their top level, their own calls of ``re.compile`` return a pattern compiled the first time it
is used: the same pattern and flags, the same behaviour, only later (or never). Other modules, and
everything after the import, get the real ``re.compile``.
"""

from __future__ import annotations

import importlib.machinery
import re
import sys
from types import ModuleType
from typing import Any

from . import finders

# The loader below is the protocol importlib calls (create_module and exec_module), not a subclass
# of importlib.abc's: that module imports importlib.resources with pathlib, tempfile and zipfile
# (~10 ms), before a single line of the build has run.

#: The modules whose import-time patterns are deferred (a test holds their patterns working).
MODULES = frozenset({
    # ReportLab's Paragraph (a URL pattern over the whole BMP, ~35 ms), its splitter, its safe
    # evaluator (~3 ms), the HTML parser its paragraph parser imports, its date formats (~3 ms)
    # and the Python colouring of XPreformatted
    "reportlab.platypus.paragraph", "reportlab.lib.textsplit", "reportlab.lib.rl_safe_eval", "html", "html.parser",
    "reportlab.lib.normalDate", "reportlab.lib.PyFontify",
    # PyYAML's reader, which libyaml replaces for well-formed files (a pattern over all of Unicode,
    # ~3.5 ms), and its resolver's implicit types, of which an agreement uses five of eight (~0.3 ms)
    "yaml.reader", "yaml.resolver",
    # pikepdf's XMP cleaners, for metadata it did not write itself (~4 ms), and its date parsers (~0.6 ms)
    "pikepdf.models.metadata._constants", "pikepdf.models.metadata._converters",
    # what ReportLab and traceback import and a build does not call: version parsers, the text
    # wrapper (we wrap by display width). Not gettext: it hands its pattern to re.finditer.
    "platform", "textwrap",
    # the same, ~1 ms together: source-encoding cookies (linecache, for tracebacks), $-templates,
    # the checks of {-style logging formats (ReportLab's loggers format nothing)
    "tokenize", "string", "logging",
})


class DeferredPattern:
    """Stands for ``re.compile(pattern, flags)`` and becomes it on first use."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: Any, flags: int) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[Any] | None = None

    def __getattr__(self, name: str) -> Any:
        if self._compiled is None:
            self._compiled = _real_compile(*self._args)
        return getattr(self._compiled, name)


_real_compile = re.compile


class _Loader:
    """Runs the real loader with ``re.compile`` deferred for the module's own top-level calls."""

    def __init__(self, loader: Any) -> None:
        self._loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType | None:
        return self._loader.create_module(spec)

    def exec_module(self, module: ModuleType) -> None:
        _running.add(module.__name__)  # one of MODULES may import another: both stay deferred
        re.compile = _compile  # type: ignore[assignment]
        try:
            self._loader.exec_module(module)
        finally:
            _running.discard(module.__name__)
            if not _running:
                re.compile = _real_compile


#: The modules of MODULES whose top level is running now.
_running: set[str] = set()


def _compile(pattern: Any, flags: int = 0) -> Any:
    """re.compile while one of MODULES is imported: deferred for that module's own calls only."""
    if sys._getframe(1).f_globals.get("__name__") in _running:
        return DeferredPattern(pattern, flags)
    return _real_compile(pattern, flags)


def install() -> None:
    """Defer the patterns of MODULES imported from now on (once per process)."""
    finders.install(MODULES, _Loader)
