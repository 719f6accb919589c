"""The notices that follow a signing: each party's 告示 draft and 届出 to the 熊本県知事.

地方自治法 第252条の2第2項: when a 連携協約 is concluded, each party publishes a 告示 of it and
notifies the 都道府県知事 (届出); 第4項 applies the same to a 変更 (「同条第4項において準用する
同条第2項」). The text is built here once, as blocks, and written both as plain text for the
例規 system and as PDF (layout/notice.py) with the same typographic guarantees as the agreement.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from .japanese import article_caption, article_number, item_number, schedule_caption, section_number, wareki
from ..input.model import ROW_LABELS, Agreement, Party
from ..messages import shown, text

#: Not yet known when the draft is made: left as blanks to fill in by hand.
DATE_BLANK = "令和　　年　　月　　日"
NUMBER_BLANK = "　　"
LAW = "地方自治法（昭和22年法律第67号）"
GOVERNOR = "熊本県知事"

BlockStyle = Literal["title", "right", "left", "date", "body", "center", "caption", "article", "item", "schedule"]


@dataclass(frozen=True)
class Block:
    """One paragraph of a notice: its style and text (and a drawn number for articles and items)."""

    style: BlockStyle
    text: str
    label: str = ""


@dataclass(frozen=True)
class Notice:
    """A notice of one party: 告示 or 届出; ``blocks`` are the notice proper (the 告示 is followed by
    the agreement's text, which the layout sets with the agreement's own flowables)."""

    kind: Literal["告示", "届出"]
    role: str
    party: Party
    blocks: tuple[Block, ...]
    includes_agreement: bool


def original_title(agreement: Agreement) -> str:
    """The name of the agreement a 変更 changes: its heading without 変更 (…変更連携協約 → …連携協約)."""
    return re.sub(r"変更(連携協約)$", r"\1", agreement.heading)


class NoticeNumberError(ValueError):
    """A notice number that cannot be printed as given; the message says what to type instead."""


#: a notice number is short; anything longer is a slip (a pasted sentence)
MAX_NUMBER_LENGTH = 40


def parse_number(value: str) -> str:
    """A notice number as typed on the command line, made what ``number_line`` prints: a bare number
    (``12``, ``１２``, ``第12号`` → ``12``: the prefix and 第…号 are added) or a 文書記号 as written,
    ending in 号 (``熊政企第12号``: printed unchanged). Refuses what cannot print or would read
    wrongly (control characters, text that is neither) — never ``第熊政企第12号号``."""
    number = value.strip(" \u3000")
    for char in number:
        if unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp"):
            raise NoticeNumberError(text("notice-number-control", value=shown(value), code=f"U+{ord(char):04X}"))
    digits = unicodedata.normalize("NFKC", number)
    bare = re.fullmatch(r"第?([0-9]+)号?", digits)
    if bare:
        return str(int(bare.group(1)))
    if not number or len(number) > MAX_NUMBER_LENGTH or not number.endswith("号") or not re.search(r"[0-9０-９]", number):
        raise NoticeNumberError(text("notice-number-form", value=shown(value)))
    return number


def number_line(number: str, prefix: str = "") -> str:
    """The number line of a notice: ``prefix第12号`` for a bare number, a 文書記号 (``熊政企第12号``)
    as written, blanks to fill in by hand when none was given."""
    if not number or number.isdigit():
        return f"{prefix}第{number or NUMBER_BLANK}号"
    return number


def _other(agreement: Agreement, role: str) -> Party:
    return agreement.partner if role == "甲" else agreement.hub


def _legal_basis(agreement: Agreement) -> str:
    if agreement.kind == "変更":
        return f"{LAW}第252条の2第4項において準用する同条第2項の規定により"
    return f"{LAW}第252条の2第2項の規定により"


def kokuji(agreement: Agreement, role: str, date: dt.date | None = None, number: str = "") -> Notice:
    """The 告示 draft of the party ``role`` (甲 or 乙)."""
    party, other = dict(agreement.parties)[role], _other(agreement, role)
    if agreement.kind == "変更":
        body = f"{_legal_basis(agreement)}、{other.municipality}と締結した{original_title(agreement)}を次のとおり変更したので、告示する。"
    else:
        body = f"{_legal_basis(agreement)}、{other.municipality}と{agreement.heading}を締結したので、告示する。"
    day = wareki(date) if date else DATE_BLANK
    blocks = (
        Block("title", f"○{agreement.heading}"),
        Block("left", day),
        Block("left", number_line(number, f"{party.municipality}告示")),
        Block("body", body),
        Block("date", day),
        Block("right", f"{party.office}　{party.name}"),
    )
    return Notice("告示", role, party, blocks, includes_agreement=True)


def todokede(agreement: Agreement, role: str, date: dt.date | None = None, number: str = "") -> Notice:
    """The 届出 (cover letter to the 熊本県知事) of the party ``role``."""
    party, other = dict(agreement.parties)[role], _other(agreement, role)
    changed = agreement.kind == "変更"
    subject = "連携協約の変更について（届出）" if changed else "連携協約の締結について（届出）"
    if changed:
        body = f"{_legal_basis(agreement)}、{other.municipality}と締結した{original_title(agreement)}を変更したので、別添のとおり届け出ます。"
    else:
        body = f"{_legal_basis(agreement)}、{other.municipality}と連携協約を締結したので、別添のとおり届け出ます。"
    blocks = (
        Block("right", number_line(number)),
        Block("right", wareki(date) if date else DATE_BLANK),
        Block("left", f"{GOVERNOR}　様"),
        Block("right", f"{party.office}　{party.name}"),
        Block("center", subject),
        Block("body", body),
        Block("center", "記"),
        Block("item", f"連携協約の名称　{agreement.heading}", label="1"),
        Block("item", f"{'変更' if changed else '締結'}の日　{wareki(agreement.date)}", label="2"),
        Block("item", f"相手方　{other.municipality}（{other.office}　{other.name}）", label="3"),
        Block("left", f"別添　{agreement.heading}の写し"),
    )
    return Notice("届出", role, party, blocks, includes_agreement=False)


def agreement_blocks(agreement: Agreement) -> list[Block]:
    """The agreement's text as blocks (for the plain-text 告示): heading, recital, articles, closing,
    date, parties, 別表."""
    blocks = [Block("center", agreement.heading)]
    blocks += [Block("body", text) for text in agreement.recital]
    for number, article in enumerate(agreement.articles, start=1):
        blocks.append(Block("caption", article_caption(article.caption)))
        blocks.append(Block("article", article.text, label=article_number(number)))
        blocks += [Block("item", item, label=item_number(k)) for k, item in enumerate(article.items, start=1)]
    blocks.append(Block("body", agreement.closing))
    blocks.append(Block("left", wareki(agreement.date)))
    for role, party in agreement.parties:
        blocks.append(Block("right", f"{role}　{party.address}　{party.municipality}　{party.office}　{party.name}"))
    for number, schedule in enumerate(agreement.schedules, start=1):
        blocks.append(Block("schedule", schedule_caption(number, schedule.basis)))
        blocks.append(Block("left", schedule.title))
        groups = [("", schedule.areas)] + [(f"{section_number(i)}　{s.title}", s.areas) for i, s in enumerate(schedule.sections, 1)]
        for heading, areas in groups:
            if heading:
                blocks.append(Block("left", heading))
            for k, area in enumerate(areas, start=1):
                blocks.append(Block("item", area.name, label=item_number(k)))
                texts = (area.content, area.hub_role, area.partner_role)
                blocks += [Block("body", f"{label}　{text}") for label, text in zip(ROW_LABELS, texts)]
    return blocks


def plain_text(notice: Notice, agreement: Agreement) -> str:
    """The notice as plain text for the 例規 system: one paragraph a line, indents as U+3000."""
    blocks = list(notice.blocks) + (agreement_blocks(agreement) if notice.includes_agreement else [])
    return "\n".join(_plain(block) for block in blocks) + "\n"


def _plain(block: Block) -> str:
    indent = {"body": "　", "caption": "　", "date": "　　", "right": "　" * 12, "center": "　" * 8}.get(block.style, "")
    label = f"{block.label}　" if block.label else ""
    return f"{indent}{label}{block.text}"
