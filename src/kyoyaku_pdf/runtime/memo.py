"""The one bounded memo a process keeps of work it may meet again (parsed files, bound files, font
subsets, compressed streams): insertion-ordered dicts where, past a limit, the oldest entry goes."""

from __future__ import annotations

from typing import Any


def remember(kept: dict[Any, Any], key: Any, value: Any, limit: int) -> None:
    """Keep ``value`` under ``key``; past ``limit`` entries the oldest goes first (a key kept
    already is only given its new value)."""
    if key not in kept and len(kept) >= limit:
        del kept[next(iter(kept))]
    kept[key] = value
