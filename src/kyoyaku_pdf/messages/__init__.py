"""The one message catalogue: every text a user reads, in Japanese (default) and English.

Why one catalogue: the clerks read Japanese first, a maintainer abroad and the tests may want English,
and wording kept in one place stays consistent. Each part of the package keeps its entries in its own
module here (``messages/input.py``, ``messages/archive.py`` …) as ``MESSAGES = {code: (ja, en)}``; this
module merges them (every module in this package is a part, named in PARTS) and refuses a code defined twice. Code never writes a user-facing sentence inline:
it calls ``text(code, **values)``.

Language: ``set_language()`` (the CLI's ``--lang``), else ``KYOYAKU_LANG``, else Japanese.
Values are formatted with ``str.format``; every value that came from the user's input is passed
through ``shown()`` first so control characters never reach the terminal raw.
"""

from __future__ import annotations

import os
import unicodedata
from importlib import import_module
from typing import Literal

Language = Literal["ja", "en"]
LANGUAGES: tuple[Language, ...] = ("ja", "en")


#: The part modules, each a ``MESSAGES`` dict (tests/cli/test_language.py holds this to every module
#: of the package: named here rather than listed at run time, which imported pkgutil, ~0.4 ms a run).
PARTS = ("archive", "cli", "common", "input", "lint", "preflight", "signing")

_language: Language | None = None
_catalogue: dict[str, tuple[str, str]] | None = None


def set_language(language: str | None) -> None:
    """Choose the language for this process (None: back to KYOYAKU_LANG / Japanese)."""
    global _language
    if language is not None and language not in LANGUAGES:
        raise ValueError(language)
    _language = language  # type: ignore[assignment]


def language() -> Language:
    """The language in force: set_language(), else KYOYAKU_LANG (ja/en), else ja."""
    if _language is not None:
        return _language
    env = os.environ.get("KYOYAKU_LANG", "").split("_")[0].split(".")[0].lower()
    return "en" if env == "en" else "ja"


def catalogue() -> dict[str, tuple[str, str]]:
    """Every message code → (Japanese, English), merged from the part modules once."""
    global _catalogue
    if _catalogue is None:
        merged: dict[str, tuple[str, str]] = {}
        for part in PARTS:
            entries: dict[str, tuple[str, str]] = import_module(f"{__name__}.{part}").MESSAGES
            clash = merged.keys() & entries.keys()
            if clash:
                raise RuntimeError(f"message codes defined twice: {sorted(clash)}")
            merged.update(entries)
        _catalogue = merged
    return _catalogue


def text(code: str, /, **values: object) -> str:
    """The message ``code`` in the language in force, with ``values`` filled in."""
    ja, en = catalogue()[code]
    return (ja if language() == "ja" else en).format(**values)


def shown(value: object, limit: int = 80) -> str:
    """A piece of the user's input made safe to echo: control and format characters as U+XXXX,
    cut to ``limit`` characters with …, so a message never moves the cursor or rings the bell."""
    out = []
    for char in str(value):
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp") and char not in "\u3000":
            out.append(f"<U+{ord(char):04X}>")
        else:
            out.append(char)
    joined = "".join(out)
    return joined if len(joined) <= limit else joined[: limit - 1] + "…"
