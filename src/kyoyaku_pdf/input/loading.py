"""Loading an agreement: its own small file plus the shared files it names, checked as a whole.

Checks that span fields (a schedule with both areas and sections, a policy area given twice, an
unknown placeholder) live here; per-field checks live in ``binding``. Every problem of every file is
collected and raised together.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from typing import Callable
from pathlib import Path

from ..errors import InputError
from ..messages import shown
from .binding import Binder, TextField
from .model import (
    Agreement, AgreementFile, Article, CommonFile, Party, PolicyArea, ResolvedArticle, Schedule, ScheduleFile,
)
from .overrides import apply_overrides
from .shared import refuse_shared_file
from .source import SourceNode, read_source

#: Placeholders the shared texts may use, filled per agreement.
PLACEHOLDERS = ("甲", "乙", "甲職名", "乙職名", "通数")


@dataclass(frozen=True)
class LoadedAgreement:
    """The resolved agreement plus every source text with its location (for later located checks)."""

    agreement: Agreement
    texts: tuple[TextField, ...]


def load_agreement(path: Path) -> LoadedAgreement:
    """Read an agreement file and the shared files it names; raise InputError listing all problems.

    A file with problems does not stop the reading of the files it names (as long as it names them
    readably): the clerk gets every problem of every file in one run.
    """
    binder = Binder()
    main_node = _read(path, binder)
    refuse_shared_file(path, main_node)
    main = binder.bind(AgreementFile, main_node)
    common_path = _resolve(path, main.common if main else _written(main_node, "common"), main_node, "common",
                           binder, root=path.parent)
    common_node = _read(common_path, binder)
    common = binder.bind(CommonFile, common_node)
    if main and common and main.kind != common.kind:
        binder.fail(main_node.at("kind"), "kind", "kind-mismatch", kind=main.kind, common=shown(common_path),
                    common_kind=common.kind)
    book_path = _resolve(common_path, common.schedules if common else _written(common_node, "schedules"),
                         common_node, "schedules", binder, root=path.parent)
    book_node = _read(book_path, binder)
    book = binder.bind(ScheduleFile, book_node)
    if book is not None:
        _check_schedules(book, book_node, binder)
    _check_placeholders(binder.texts, binder, str(common_path))
    if binder.problems or main is None or common is None or book is None:
        raise InputError(binder.problems)
    schedules, problems = apply_overrides(book.schedules, main.schedules, lambda p: main_node.at(p).location)
    if problems:
        raise InputError(binder.placed(problems))
    agreement = _resolve_agreement(main, common, schedules, (path, common_path, book_path))
    return LoadedAgreement(agreement, tuple(binder.texts))


def _read(path: Path, binder: Binder) -> SourceNode:
    """One file's tree; a file that cannot be read at all is reported with the problems found so far."""
    try:
        return read_source(path, binder.problems)
    except InputError as exc:
        raise InputError(binder.problems + list(exc.problems)) from None


def _written(node: SourceNode, key: str) -> str | None:
    """The text written for ``key`` in a file whose binding failed (to read on), if it is a text."""
    child = node.value.get(key) if isinstance(node.value, dict) else None
    return child.value if child is not None and isinstance(child.value, str) and child.value else None


def _resolve(base: Path, relative: str | None, node: SourceNode, key: str, binder: Binder, root: Path) -> Path:
    """A path written in a file is relative to that file, so data folders can be moved whole; it
    must stay inside the folder of the agreement (no absolute paths, no way out with ..). None (not
    written, or not readably): stop here with the problems found so far."""
    if relative is None:
        raise InputError(binder.problems)
    target = base.parent / relative
    assert isinstance(node.value, dict)
    if Path(relative).is_absolute() or not target.resolve().is_relative_to(root.resolve()):
        binder.fail(node.value[key], key, "path-outside", target=shown(relative))
        raise InputError(binder.problems)
    if not target.is_file():
        binder.fail(node.value[key], key, "path-missing", target=shown(target))
        raise InputError(binder.problems)
    return target


def _check_schedules(book: ScheduleFile, node: SourceNode, binder: Binder) -> None:
    """A schedule holds areas or sections (not both, not neither); no policy area twice in one."""
    assert isinstance(node.value, dict)
    schedule_nodes = node.value["schedules"].value
    assert isinstance(schedule_nodes, tuple)
    for index, (schedule, snode) in enumerate(zip(book.schedules, schedule_nodes)):
        path = f"schedules[{index}]"
        if bool(schedule.areas) == bool(schedule.sections):
            binder.fail(snode, path, "schedule-areas-or-sections")
        _check_duplicate_areas(schedule, path, binder)


def _check_duplicate_areas(schedule: Schedule, path: str, binder: Binder) -> None:
    first_seen: dict[str, TextField] = {}
    by_path = {t.path: t for t in binder.texts}
    for area_path, area in _area_paths(schedule, path):
        name_field = by_path[f"{area_path}.name"]
        if area.name in first_seen:
            first = first_seen[area.name]
            binder.fail(name_field.location, f"{area_path}.name", "area-twice", name=shown(area.name, 40),
                        first=first.location, first_place=first.place)
        else:
            first_seen[area.name] = name_field


def _area_paths(schedule: Schedule, path: str) -> list[tuple[str, PolicyArea]]:
    pairs: list[tuple[str, PolicyArea]] = [(f"{path}.areas[{i}]", a) for i, a in enumerate(schedule.areas)]
    for s, section in enumerate(schedule.sections):
        pairs += [(f"{path}.sections[{s}].areas[{i}]", a) for i, a in enumerate(section.areas)]
    return pairs


#: The texts of the common file that are filled in per agreement (``_resolve_agreement``); a
#: placeholder anywhere else (a party's own fields, the 別表, a partner's changes) would be printed
#: as typed, braces and all. (``electronic_closing`` is filled by ``build --electronic``, cli/build.py.)
_FILLED = re.compile(r"cover\.title_lines\[\d+\]|heading|recital\[\d+\]|(electronic_)?closing|articles\[\d+\]\.(caption|text)")
_BRACED = re.compile(r"\{[^{}]*\}")


def _check_placeholders(texts: list[TextField], binder: Binder, common_file: str) -> None:
    """Only the known {placeholders} may appear, and only where they are filled in: a typo or a
    placeholder in a party's own field must not print braces into the agreement."""
    known = "、".join("{" + p + "}" for p in PLACEHOLDERS)
    for text in texts:
        if text.location.file != common_file or not _FILLED.fullmatch(text.path):
            braced = _BRACED.search(text.text)
            if braced:
                binder.problems.append(text.problem("placeholder-not-here", placeholder=shown(braced.group(), 24)))
            elif "{" in text.text or "}" in text.text:
                binder.problems.append(text.problem("placeholder-unbalanced"))
            continue
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text.text)
                      if name is not None]
        except ValueError:
            binder.problems.append(text.problem("placeholder-unbalanced"))
            continue
        for name, spec, conversion in fields:
            if spec or conversion:
                binder.problems.append(text.problem("placeholder-spec", name=shown(name, 24)))
            elif name not in PLACEHOLDERS:
                binder.problems.append(text.problem("placeholder-unknown", name=shown(name, 24), known=known))


def fill_placeholders(text: str, hub: Party, partner: Party, copies: int) -> str:
    """A shared text with its placeholders (checked by ``_check_placeholders``) filled in: every text
    loading resolves, and the electronic closing the build puts in place of the paper one."""
    values = {
        "甲": hub.municipality, "乙": partner.municipality, "甲職名": hub.office, "乙職名": partner.office,
        "通数": str(copies),
    }
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


def _resolve_agreement(
    main: AgreementFile, common: CommonFile, schedules: tuple[Schedule, ...], sources: tuple[Path, ...]
) -> Agreement:
    fill = lambda text: fill_placeholders(text, common.hub, main.partner, common.copies)  # noqa: E731
    return Agreement(
        id=main.id,
        kind=main.kind,
        date=main.date,
        copies=common.copies,
        cover_lines=tuple(map(fill, common.cover.title_lines)),
        heading=fill(common.heading),
        recital=tuple(map(fill, common.recital)),
        articles=tuple(_article(a, fill, schedules) for a in common.articles),
        closing=fill(common.closing),
        hub=common.hub,
        partner=main.partner,
        schedules=schedules,
        print=main.print,
        sources=sources,
    )


def _article(article: Article, fill: Callable[[str], str], schedules: tuple[Schedule, ...]) -> ResolvedArticle:
    """An article's text filled in; 第3条 lists the policy fields of the 別表 as its items."""
    items = tuple(f"{s.title}（別表第{n}）" for n, s in enumerate(schedules, start=1)) if article.items == "schedules" else ()
    return ResolvedArticle(fill(article.caption), fill(article.text), items)

