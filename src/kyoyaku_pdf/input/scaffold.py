"""``kyoyaku-pdf new``: a partner file with every field to fill marked, never overwriting one.

The marks are text the loader refuses (``<<記入: …>>``), so a file that is not filled in yet can
never turn into a PDF with a blank or a placeholder printed in it.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..errors import KyoyakuError
from ..messages import shown, text as message
from .model import FILL_IN, Kind
from .source import read_source

ID_PATTERN = r"[a-z0-9][a-z0-9-]{0,63}"


class ScaffoldRefused(KyoyakuError):
    """The partner file cannot be written (exists already, bad id, no shared texts of the kind)."""


def new_partner_file(folder: Path, partner_id: str, kind: Kind) -> Path:
    """Write ``folder/<partner_id>.yaml``; refuse to overwrite anything."""
    if not re.fullmatch(ID_PATTERN, partner_id):
        raise ScaffoldRefused(message("new-bad-id", id=shown(partner_id)))
    target = folder / f"{partner_id}.yaml"
    common = _common_file(folder, kind)
    text = _template(partner_id, kind, common.relative_to(folder).as_posix())
    try:
        with target.open("x", encoding="utf-8") as handle:  # "x": fails if the file exists
            handle.write(text)
    except FileExistsError:
        raise ScaffoldRefused(message("new-exists", path=shown(target, 200))) from None
    return target


def _common_file(folder: Path, kind: Kind) -> Path:
    """The shared texts of ``kind`` in ``folder/common/`` (the file whose ``kind:`` says so)."""
    for path in sorted((folder / "common").glob("*.yaml")):
        node = read_source(path)
        if isinstance(node.value, dict) and "kind" in node.value and node.value["kind"].value == kind:
            return path
    raise ScaffoldRefused(message("new-no-common", kind=kind, folder=shown(folder / "common", 200)))


def _template(partner_id: str, kind: Kind, common: str) -> str:
    def mark(what: str) -> str:
        return f'"{FILL_IN}{what}>>"'

    return f"""# yaml-language-server: $schema=../schema/agreement.schema.json
# 熊本市との{'変更連携協約' if kind == '変更' else '連携協約'}（{partner_id}）
# {FILL_IN}…>> の箇所をすべて書き換えてください。残っていると作成できません。
id: {partner_id}
kind: {kind}
common: {common}
date: {mark("締結日 例 2025-03-24")}
partner:
  address: {mark("住所 例 御船町大字御船995番地1")}
  municipality: {mark("団体名 例 御船町")}
  office: {mark("職名 例 御船町長")}
  name: {mark("首長の氏名")}
  # seal_mm: 30              # 公印の大きさ（mm）が30と違うとき
# schedules:                 # この相手方だけの別表の追加・削除・文言変更（README 参照）
#   - schedule: 3
#     section: 1
#     remove: [取組名]
"""
