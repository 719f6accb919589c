"""The line breaks a build works out, kept on disk so the next process does not break the same
paragraphs again.

Breaking a paragraph (``japanese.break_lines``: 禁則, 追い込み, justification) is pure work on its
arguments and the fonts' advances; a process remembers it (layout/text.py), but a clerk's next
build, or each worker of a batch, is a new process: the first agreement spent 10–16 ms breaking the
paragraphs every agreement shares. Here the breaks of a font set are read once a process, handed
to the layout as known (``seed_breaks``), and the breaks the process's first document asked for
are written back when it is built (``keep``): at most one write a process, none when nothing had
to be broken, and nothing noted after the first document.

Never stale: the entry's name is derived (fontcache.entry, with its format and ReportLab's version)
from this module's FORMAT, a SHA-256 of the source of the code that breaks and measures
(text/japanese.py, layout/text.py, pdf/fonts.py), the font set's typesetting, and the name and file
identity of each of its fonts, the fallback's included; within it each entry is keyed by every
other argument (text, width, size, first indent, justify). A change to any of them is another
entry; entries of old versions are pruned as the font cache's are. The folder, the checked
SHA-256 of the payload, atomic writes (two workers writing at once: the last one wins) and any
problem read as a miss are cache.py's; the payload is ``marshal`` data of plain values.
Never growing without end: an entry keeps the ``KEEP`` most recently used breaks.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ..layout import text
from ..layout.text import BreakArgs, FontSet, PlainLine
from ..text import japanese
from . import fontcache, fonts as font_files
from .fonts import FontSpec

#: Bump when what is stored, or how, changes: older entries are then simply never looked up.
FORMAT = 1
#: Breaks an entry keeps: a document asks for ~120 (~0.9 KB each); room for both kinds of agreement
#: (締結, 変更) and a few partners, read in ~1 ms.
KEEP = 400
KIND = "breaks"
#: The modules whose code decides the lines: breaking and setting, the font set's measure, and the
#: advances as the fonts are registered.
_CODE = (japanese, text, font_files)


@dataclass
class _Kept:
    """A font set's entry on disk and the breaks it held when this process read it."""

    path: Path
    breaks: dict[BreakArgs, tuple[PlainLine, ...]]


#: The font sets this process was asked to seed: their entries, or None where none can be kept (no
#: cache folder, no sources to name the code by), so that a process looks once.
_kept: dict[FontSet, _Kept | None] = {}


def seed(fonts: FontSet, specs: tuple[FontSpec, ...]) -> None:
    """Hand the layout the breaks stored for ``fonts`` (the registered fonts of ``specs``, main font
    first), once a process, and note what it asks for, for ``keep``. Without a cache folder, or
    when the code cannot be read, nothing is kept."""
    if fonts in _kept:
        return
    path = _entry(fonts, specs)
    if path is None:
        _kept[fonts] = None
        return
    found = fontcache.load(path, valid=lambda value: isinstance(value, dict))
    breaks = found[0] if found is not None else {}
    text.seed_breaks(fonts, breaks)
    _kept[fonts] = _Kept(path, breaks)


def keep(fonts: FontSet) -> None:
    """After a process's first document: if it had to break paragraphs the entry did not hold,
    write the entry again — the breaks this document asked for first, then those the entry held,
    ``KEEP`` in all. Later documents of the process change nothing (and note nothing).

    What is worth keeping is what every agreement shares (the articles, the 別表), which the first
    document breaks; a batch's later agreements add their partners' few paragraphs, which no other
    agreement asks for, and rewriting the entry for them would cost each ~1 ms. Bounded: a
    paragraph no longer asked for (an edited one) falls out as newer ones come in. Of two workers
    writing at once, the last one wins."""
    kept = _kept.get(fonts)
    if kept is None:
        return
    used, missed = text.used_breaks(fonts)
    if not missed:
        return
    merged = dict(used)  # first: a malformed stored entry was broken again, and is replaced
    merged.update((args, lines) for args, lines in kept.breaks.items() if args not in used)
    fontcache.store(kept.path, KIND, dict(islice(merged.items(), KEEP)))


def _entry(fonts: FontSet, specs: tuple[FontSpec, ...]) -> Path | None:
    digest = _code_digest()
    if digest is None:
        return None
    try:
        identities = [f"{spec.name} {fontcache.file_key(os.stat(spec.path))}" for spec in specs]
    except OSError:
        return None
    names = (fonts.main, fonts.fallback or "")
    key = "\0".join((str(FORMAT), digest, repr(fonts.setting), *names, *identities))
    return fontcache.entry(KIND, key, ("reportlab",))


@lru_cache(maxsize=1)
def _code_digest() -> str | None:
    """SHA-256 of the source of the code that decides the lines (~0.2 ms); None when one cannot be
    read (an installation without sources: nothing is kept)."""
    digest = hashlib.sha256()
    for module in _CODE:
        try:
            digest.update(Path(getattr(module, "__file__", None)).read_bytes())  # type: ignore[arg-type]
        except (OSError, TypeError):  # TypeError: a module without a file (None)
            return None
    return digest.hexdigest()
