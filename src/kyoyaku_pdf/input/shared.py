"""A shared file given where an agreement file is wanted: say in one line what it is and who uses it.

The README tells clerks to edit ``data/common/beppyo-r7.yaml``; running ``build`` on that file must not
answer with seventeen missing keys. A shared file is recognised by its keys, and the agreement files
that use it are looked for in its folder and the folder above (where ``data/`` keeps them).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import InputError, Location
from ..messages import shown, text
from .problems import refuse
from .source import SourceNode, read_source

#: Keys only an agreement file has; a file with none of them and the keys of a shared file is one.
_AGREEMENT_KEYS = frozenset({"id", "partner", "date", "common"})
_COMMON_KEYS = frozenset({"cover", "heading", "recital", "closing", "hub"})
#: How many files of the two folders are read to find the users (a data folder holds a few dozen).
_MAX_FILES = 200


def refuse_shared_file(path: Path, node: SourceNode) -> None:
    """Raise one located problem if ``node`` (read from ``path``) is a shared file, not an agreement."""
    if not isinstance(node.value, dict) or _AGREEMENT_KEYS & node.value.keys():
        return
    keys = node.value.keys()
    if _COMMON_KEYS & keys:
        what, users = "shared-common", _agreements_using({path.resolve()}, path)
    elif "schedules" in keys and isinstance(node.value["schedules"].value, tuple):
        commons = {c for c, n in _yaml_near(path) if _names(c, n, "schedules") == path.resolve()}
        what, users = "shared-schedules", _agreements_using(commons, path)
    else:
        return
    listed = "、".join(shown(u, 400) for u in users) if users else text("shared-no-users")
    raise refuse(Location(str(path), 1, 1), "", what, users=listed)


def _agreements_using(commons: set[Path], near: Path) -> list[str]:
    return sorted(_as_given(p) for p, n in _yaml_near(near) if _names(p, n, "common") in commons)


def _as_given(path: Path) -> str:
    """A path as the clerk would type it: relative to the current folder when inside it."""
    try:
        return str(path.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _yaml_near(path: Path) -> list[tuple[Path, SourceNode]]:
    """The YAML files of ``path``'s folder and the folder above, read (unreadable ones skipped)."""
    folders = dict.fromkeys([path.parent, path.parent.parent])
    files = [f for folder in folders for f in sorted(folder.glob("*.yaml"))][:_MAX_FILES]
    read = []
    for file in files:
        try:
            read.append((file.resolve(), read_source(file)))
        except (InputError, OSError):
            continue
    return read


def _names(file: Path, node: SourceNode, key: str) -> Path | None:
    """The file that ``file``'s ``key:`` names (resolved), if it names one."""
    if not isinstance(node.value, dict) or key not in node.value:
        return None
    value = node.value[key].value
    return (file.parent / value).resolve() if isinstance(value, str) and value else None
