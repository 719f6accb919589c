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

from .binding import Binder, TextField
from ..errors import InputError
from .model import (
    Agreement, AgreementFile, Article, CommonFile, PolicyArea, ResolvedArticle, Schedule, ScheduleFile,
)
from .overrides import apply_overrides
from .source import SourceNode, read_source

#: Placeholders the shared texts may use, filled per agreement.
PLACEHOLDERS = ("甲", "乙", "甲職名", "乙職名", "通数")


@dataclass(frozen=True)
class LoadedAgreement:
    """The resolved agreement plus every source text with its location (for later located checks)."""

    agreement: Agreement
    texts: tuple[TextField, ...]


def load_agreement(path: Path) -> LoadedAgreement:
    """Read an agreement file and the shared files it names; raise InputError listing all problems."""
    binder = Binder()
    main_node = read_source(path)
    main = binder.bind(AgreementFile, main_node)
    if main is None:
        raise InputError(binder.problems)
    common_path = _resolve(path, main.common, main_node, "common", binder, root=path.parent)
    common_node = read_source(common_path)
    common = binder.bind(CommonFile, common_node)
    if common is None:
        raise InputError(binder.problems)
    if main.kind != common.kind:
        binder.fail(main_node.at("kind"), "kind", f"the agreement is a {main.kind} but {common_path} holds the texts of a {common.kind}")
    book_path = _resolve(common_path, common.schedules, common_node, "schedules", binder, root=path.parent)
    book_node = read_source(book_path)
    book = binder.bind(ScheduleFile, book_node)
    if book is not None:
        _check_schedules(book, book_node, binder)
    _check_placeholders(binder.texts, binder)
    if binder.problems or book is None:
        raise InputError(binder.problems)
    schedules, problems = apply_overrides(book.schedules, main.schedules, lambda p: main_node.at(p).location)
    if problems:
        raise InputError(problems)
    agreement = _resolve_agreement(main, common, schedules, (path, common_path, book_path))
    return LoadedAgreement(agreement, tuple(binder.texts))


def _resolve(base: Path, relative: str, node: SourceNode, key: str, binder: Binder, root: Path) -> Path:
    """A path written in a file is relative to that file, so data folders can be moved whole; it
    must stay inside the folder of the agreement (no absolute paths, no way out with ..)."""
    target = base.parent / relative
    if Path(relative).is_absolute() or not target.resolve().is_relative_to(root.resolve()):
        assert isinstance(node.value, dict)
        binder.fail(node.value[key], key, f"{relative!r} leads outside the data folder; give a path inside it")
        raise InputError(binder.problems)
    if not target.is_file():
        assert isinstance(node.value, dict)
        binder.fail(node.value[key], key, f"no such file: {target}")
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
            binder.fail(snode, path, "give either 'areas' or 'sections' (exactly one of them)")
        _check_duplicate_areas(schedule, path, binder)


def _check_duplicate_areas(schedule: Schedule, path: str, binder: Binder) -> None:
    first_seen: dict[str, str] = {}
    by_path = {t.path: t for t in binder.texts}
    for area_path, area in _area_paths(schedule, path):
        name_field = by_path[f"{area_path}.name"]
        if area.name in first_seen:
            binder.fail(name_field.location, f"{area_path}.name", f"policy area {area.name!r} is given twice (also at {first_seen[area.name]})")
        else:
            first_seen[area.name] = str(name_field.location)


def _area_paths(schedule: Schedule, path: str) -> list[tuple[str, PolicyArea]]:
    pairs: list[tuple[str, PolicyArea]] = [(f"{path}.areas[{i}]", a) for i, a in enumerate(schedule.areas)]
    for s, section in enumerate(schedule.sections):
        pairs += [(f"{path}.sections[{s}].areas[{i}]", a) for i, a in enumerate(section.areas)]
    return pairs


def _check_placeholders(texts: list[TextField], binder: Binder) -> None:
    """Only the known {placeholders} may appear; a typo must not print braces into the agreement."""
    for text in texts:
        try:
            fields = [(name, spec, conversion) for _, name, spec, conversion in string.Formatter().parse(text.text)
                      if name is not None]
        except ValueError as exc:
            binder.fail(text.location, text.path, f"unbalanced {{ }} in the text: {exc}")
            continue
        for name, spec, conversion in fields:
            if spec or conversion:
                binder.fail(text.location, text.path, f"write a placeholder plainly, as {{{name}}}, without ! or :")
            elif name not in PLACEHOLDERS:
                known = ", ".join("{" + p + "}" for p in PLACEHOLDERS)
                binder.fail(text.location, text.path, f"unknown placeholder {{{name}}}; known: {known}")


def _fill(text: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], text)


def _resolve_agreement(
    main: AgreementFile, common: CommonFile, schedules: tuple[Schedule, ...], sources: tuple[Path, ...]
) -> Agreement:
    values = {
        "甲": common.hub.municipality, "乙": main.partner.municipality,
        "甲職名": common.hub.office, "乙職名": main.partner.office, "通数": str(common.copies),
    }
    fill = lambda text: _fill(text, values)  # noqa: E731 - a one-line closure reads best here
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

