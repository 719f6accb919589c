"""Modules ReportLab imports when it is imported and a build never uses: executed on first use.

``reportlab.lib.utils`` (which every ReportLab module imports) runs ``from PIL import Image`` and
``import pickle`` at its top. Pillow's ``Image`` serves ReportLab's bitmap images and ``pickle`` its
font-metrics store; kyoyaku-pdf draws neither (the 印 is a vector outline, the fonts come from
fontcache.py), yet the imports cost every build ~8 ms for PIL.Image (with ExifTags, TiffTags and
the C core it imports) and ~1 ms for pickle. Likewise ``tempfile`` (imported by ReportLab's
``rltempfile`` for the temporary files of bitmap images; ~2 ms with ``random``), and ``bz2`` and
``lzma``, which ``shutil`` imports only to learn whether it could make such archives (~2 ms with
their C libraries). Each module of MODULES is loaded by
``importlib.util.LazyLoader``: importing it gives the module object at once, and its code runs, the
same code with the same result, the first time one of its attributes is read (by ReportLab drawing
an image, by anything else calling it). Not blocked: nothing can tell the difference but the
clock. A module whose attribute is read while it is imported (``from pickle import dumps``), or
that is imported a second time (the import system reads its ``__spec__``), is simply loaded then.
Python 3.11's LazyLoader is not safe against two threads first using a module at once:
kyoyaku-pdf starts no threads (its batch workers are processes).
"""

from __future__ import annotations

import importlib.util
import sys
from types import ModuleType

from . import finders

#: The modules loaded on first use (tests/cli/test_imports.py holds a build to never using them).
MODULES = frozenset({"PIL.Image", "pickle", "tempfile", "bz2", "lzma"})


def install() -> None:
    """Load MODULES on first use from now on (once per process)."""
    finders.install(MODULES, importlib.util.LazyLoader)


def loaded(name: str) -> bool:
    """Whether ``name`` has been imported and its code has run (a lazy module not yet used: False)."""
    module = sys.modules.get(name)
    return module is not None and type(module) is ModuleType
