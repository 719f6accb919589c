"""One partner's changes to the shared 別表 catalogue: areas added, removed or reworded.

Real agreements can differ from partner to partner; the partner's file says how, and the item
numbers (1), (2)… then follow the partner's final list, because numbers are derived from order.
Every reference (a 別表 or section number, an area name) is checked and a wrong one is located.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ..errors import Location, Problem
from ..messages import shown
from ..text.japanese import schedule_number
from .model import AddedArea, PolicyArea, Rewording, Schedule, ScheduleOverride
from .problems import problem

#: Where a field path of the partner's file was written.
Locate = Callable[[str], Location]


def apply_overrides(
    schedules: tuple[Schedule, ...], overrides: tuple[ScheduleOverride, ...], locate: Locate
) -> tuple[tuple[Schedule, ...], list[Problem]]:
    """The partner's 別表, and the problems of its overrides (the catalogue itself is unchanged)."""
    problems: list[Problem] = []
    result = list(schedules)
    for index, override in enumerate(overrides):
        path = f"schedules[{index}]"
        if not 1 <= override.schedule <= len(result):
            problems.append(problem(locate(f"{path}.schedule"), f"{path}.schedule", "override-no-schedule",
                                    number=override.schedule, count=len(result)))
            continue
        schedule = result[override.schedule - 1]
        areas = _target_areas(schedule, override, path, locate, problems)
        if areas is None:
            continue
        areas = _changed(areas, override, path, locate, problems)
        if not areas:
            problems.append(problem(locate(path), path, "override-nothing-left"))
            continue
        result[override.schedule - 1] = _with_areas(schedule, override.section, areas)
    return tuple(result), problems


def _target_areas(
    schedule: Schedule, override: ScheduleOverride, path: str, locate: Locate, problems: list[Problem]
) -> tuple[PolicyArea, ...] | None:
    caption = schedule_number(override.schedule)
    if schedule.sections and not 1 <= override.section <= len(schedule.sections):
        problems.append(problem(locate(f"{path}.section"), f"{path}.section", "override-which-section",
                                caption=caption, count=len(schedule.sections)))
        return None
    if not schedule.sections and override.section:
        problems.append(problem(locate(f"{path}.section"), f"{path}.section", "override-no-sections", caption=caption))
        return None
    return schedule.sections[override.section - 1].areas if schedule.sections else schedule.areas


def _changed(
    areas: tuple[PolicyArea, ...], override: ScheduleOverride, path: str, locate: Locate, problems: list[Problem]
) -> tuple[PolicyArea, ...]:
    names = [a.name for a in areas]
    out = list(areas)
    for i, name in enumerate(override.remove):
        if name not in names:
            problems.append(_unknown(locate, f"{path}.remove[{i}]", name, names))
    out = [a for a in out if a.name not in override.remove]
    for i, rewording in enumerate(override.reword):
        if rewording.name not in names:
            problems.append(_unknown(locate, f"{path}.reword[{i}].name", rewording.name, names))
        out = [_reworded(a, rewording) if a.name == rewording.name else a for a in out]
    for i, added in enumerate(override.add):
        out = _inserted(out, added, f"{path}.add[{i}]", locate, problems)
    return tuple(out)


def _unknown(locate: Locate, path: str, name: str, names: list[str]) -> Problem:
    return problem(locate(path), path, "override-unknown-area", name=shown(name, 40),
                   names=shown("、".join(names), 400))


def _reworded(area: PolicyArea, rewording: Rewording) -> PolicyArea:
    return PolicyArea(
        name=rewording.new_name or area.name,
        content=rewording.content or area.content,
        hub_role=rewording.hub_role or area.hub_role,
        partner_role=rewording.partner_role or area.partner_role,
    )


def _inserted(
    areas: list[PolicyArea], added: AddedArea, path: str, locate: Locate, problems: list[Problem]
) -> list[PolicyArea]:
    names = [a.name for a in areas]
    if added.name in names:
        problems.append(problem(locate(f"{path}.name"), f"{path}.name", "override-already-there", name=shown(added.name, 40)))
        return areas
    area = PolicyArea(added.name, added.content, added.hub_role, added.partner_role)
    if not added.after:
        return areas + [area]
    if added.after not in names:
        problems.append(_unknown(locate, f"{path}.after", added.after, names))
        return areas
    position = names.index(added.after) + 1
    return areas[:position] + [area] + areas[position:]


def _with_areas(schedule: Schedule, section: int, areas: tuple[PolicyArea, ...]) -> Schedule:
    if not schedule.sections:
        return replace(schedule, areas=areas)
    sections = list(schedule.sections)
    sections[section - 1] = replace(sections[section - 1], areas=areas)
    return replace(schedule, sections=tuple(sections))
