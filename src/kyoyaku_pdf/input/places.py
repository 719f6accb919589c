"""Naming a field path in the document's own terms: ``別表第3 1 (4) DV被害者への支援等 取組内容``, ``乙 職名``.

A clerk knows the agreement, not our YAML: ``schedules[2].sections[0].areas[3].content`` means nothing to
them, the caption and number printed on the page do. The numbers come from text/japanese.py (the one
home of the numbering rules), the names from the file itself, so the place reads as the page does.
The field path is kept beside it (``Problem.field``) for editors and ``--json``.
"""

from __future__ import annotations

import re
from typing import Callable

from ..messages import shown
from ..text.japanese import article_number, item_number, schedule_number, section_number
from .model import ROLE_FIELDS, ROW_LABELS
from .source import SourceNode

#: The kinds of file, by the key their root class is known by in ``loading``.
AGREEMENT, COMMON, SCHEDULES = "agreement", "common", "schedules"

#: Each field's name in the document's vocabulary (the words of the printed agreement and its forms).
LABELS: dict[str, str] = {
    "id": "識別子", "kind": "種類", "common": "共通部分のファイル", "date": "締結日",
    "address": "住所", "municipality": "団体名", "office": "職名", "name": "氏名", "seal_mm": "公印の大きさ",
    "print": "印刷の設定", "seal_position": "押印欄の位置", "seal_guide": "押印欄の「印」", "fallback_font": "補助の書体",
    "cover": "表紙", "title_lines": "表題", "heading": "題名", "recital": "本文", "closing": "結びの文",
    "copies": "通数", "articles": "条", "caption": "見出し", "text": "本文", "items": "号の列挙",
    "basis": "根拠規定", "title": "表題", "areas": "取組", "sections": "小見出し",
    "schedule": "別表の番号", "section": "小見出しの番号", "add": "追加", "remove": "削除",
    "reword": "文言の変更", "new_name": "新しい取組名", "after": "挿入位置",
    **dict(zip(("content", "hub_role", "partner_role"), ROW_LABELS)),
}
#: The party each file's party field stands for (甲 in the common file, 乙 in the agreement's).
_PARTY_KEYS = {field: role for role, field in ROLE_FIELDS.items()}

Token = str | int


def place_of(kind: str, root: SourceNode | None, path: str) -> str:
    """The place of ``path`` in a file of ``kind`` (AGREEMENT, COMMON, SCHEDULES); "" if unknown."""
    tokens = _tokens(path)
    if not tokens or root is None:
        return ""
    namer = _NAMERS.get(kind)
    words = namer(tokens, root) if namer else _plain(tokens)
    return " ".join(w for w in words if w)


def _tokens(path: str) -> list[Token]:
    return [int(index) if index else key for key, index in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path)]


def _label(token: Token) -> str:
    return LABELS.get(token, shown(token, 40)) if isinstance(token, str) else ""


def _plain(tokens: list[Token]) -> list[str]:
    """Field names in words, list positions left out (a path no namer below knows)."""
    return [_label(t) for t in tokens if isinstance(t, str)]


def _name_at(root: SourceNode, tokens: list[Token]) -> str:
    """The ``name`` written in the mapping at ``tokens`` (a policy area's), shown safely; "" if none."""
    node = root.at(_path(tokens + ["name"]))
    return shown(node.value, 40) if isinstance(node.value, str) and node is not root.at(_path(tokens)) else ""


def _path(tokens: list[Token]) -> str:
    return "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in tokens).lstrip(".")


def _party_or_plain(tokens: list[Token]) -> list[str]:
    if tokens[0] in _PARTY_KEYS:
        return [_PARTY_KEYS[str(tokens[0])], *_plain(tokens[1:])]
    return _plain(tokens)


def _agreement(tokens: list[Token], root: SourceNode) -> list[str]:
    if tokens[0] == "schedules" and len(tokens) > 1 and isinstance(tokens[1], int):
        return _override(tokens, root)
    return _party_or_plain(tokens)


def _override(tokens: list[Token], root: SourceNode) -> list[str]:
    """``schedules[0].add[1].partner_role`` → ``別表第3 1 の変更 追加 新しい取組 乙の役割``."""
    base = root.at(_path(tokens[:2]))
    numbers = base.value if isinstance(base.value, dict) else {}
    schedule, section = (numbers[k].value if k in numbers else None for k in ("schedule", "section"))
    words = [schedule_number(schedule) if _positive(schedule) else LABELS["schedules"]]
    if _positive(section):
        words.append(section_number(section))  # type: ignore[arg-type]
    words[-1] += " の変更"
    rest = tokens[2:]
    if rest and isinstance(rest[0], str):
        words.append(_label(rest[0]))
        if len(rest) > 1 and isinstance(rest[1], int):
            item = root.at(_path(tokens[:4]))
            name = item.value if isinstance(item.value, str) else _name_at(root, tokens[:4])
            words.append(f"「{shown(name, 40)}」" if name else "")
            words += ["取組名"] if rest[2:] == ["name"] else _plain(rest[2:])
    return words


def _positive(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 1


def _common(tokens: list[Token], root: SourceNode) -> list[str]:
    head = tokens[0]
    if head == "schedules":
        return ["別表のファイル"]
    if head == "articles" and len(tokens) > 1 and isinstance(tokens[1], int):
        return [article_number(tokens[1] + 1), *_plain(tokens[2:])]
    if head in ("recital", "cover") and isinstance(tokens[-1], int):
        what = "第{}段落" if head == "recital" else "{}行目"
        return [*_plain(tokens[:-1]), what.format(tokens[-1] + 1)]
    return _party_or_plain(tokens)


def _schedules(tokens: list[Token], root: SourceNode) -> list[str]:
    """``schedules[2].sections[0].areas[3].content`` → ``別表第3 1 (4) DV被害者への支援等 取組内容``."""
    if tokens[0] != "schedules" or len(tokens) < 2 or not isinstance(tokens[1], int):
        return _plain(tokens)
    words = [schedule_number(tokens[1] + 1)]
    rest, at = tokens[2:], tokens[:2]
    while len(rest) >= 2 and rest[0] in ("sections", "areas") and isinstance(rest[1], int):
        at = at + rest[:2]
        if rest[0] == "sections":
            words.append(section_number(rest[1] + 1))
        else:
            words += [item_number(rest[1] + 1), _name_at(root, at)]
        rest = rest[2:]
    if rest == ["title"] and at[-2:-1] == ["sections"]:
        return words + ["小見出し"]
    if rest == ["name"] and at[-2:-1] == ["areas"]:
        return words + ["取組名"]
    return words + _plain(rest)


_NAMERS: dict[str, Callable[[list[Token], SourceNode], list[str]]] = {
    AGREEMENT: _agreement,
    COMMON: _common,
    SCHEDULES: _schedules,
}
