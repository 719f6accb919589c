"""The agreement as typed, immutable data.

Two layers: the *file* types say what each YAML file may hold (they drive validation and the
published JSON Schema, so the format is described once); ``Agreement`` is the resolved document the
layout draws, with the shared parts merged in and placeholders filled.

Field metadata: ``doc`` (Japanese description, shown by editors via the schema), and optional
``pattern``/``minimum``/``maximum`` constraints that ``binding`` enforces and publishes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

#: Default seal space: 30 mm square. Municipal 公印規程 give 21–30 mm for a mayor's seal
#: (舞鶴市 方21/方30, 武雄市 方24/30/35, 浅口市 方21); the largest common size leaves room for any of them.
DEFAULT_SEAL_MM = 30.0

SealPosition = Literal["over-last-char", "after-name"]
#: The two kinds of agreement: a 変更 (its 別表 replaced) and a first 締結 (articles 第1条… and 別表).
Kind = Literal["変更", "締結"]
#: What an article lists after its text: nothing, or the 別表 policy fields as (1) …（別表第1）.
ArticleItems = Literal["none", "schedules"]

#: Fonts a document may name for characters its main font lacks ("none": no fallback).
FallbackFont = Literal["none", "ipamj-mincho"]

#: Where each role's party is written: 甲 in the common file's ``hub``, 乙 in the agreement's ``partner``.
ROLE_FIELDS = {"甲": "hub", "乙": "partner"}

#: How ``kyoyaku-pdf new`` marks a field to fill in; a text still holding it is refused.
FILL_IN = "<<記入: "

#: The row labels of every 別表 table, in the order of PolicyArea's three texts.
ROW_LABELS = ("取組内容", "甲の役割", "乙の役割")


def doc(text: str, **constraints: Any) -> dict[str, Any]:
    """Field metadata: a description plus optional constraints, read by binding and schema."""
    return {"doc": text, **constraints}


@dataclass(frozen=True)
class Party:
    """One signatory: 甲 (the hub city) or 乙 (the partner)."""

    address: str = field(metadata=doc("住所（記名押印欄の1行目）"))
    municipality: str = field(metadata=doc("団体名（例: 御船町）"))
    office: str = field(metadata=doc("職名（例: 御船町長）"))
    name: str = field(metadata=doc("首長の氏名"))
    seal_mm: float = field(
        default=DEFAULT_SEAL_MM,
        metadata=doc("公印の大きさ（mm、正方形）。押印欄はこの大きさで空けます。", minimum=10, maximum=60),
    )


@dataclass(frozen=True)
class Cover:
    """The 表紙: its title, a line at a time; the line naming the parties is made from them."""

    title_lines: tuple[str, ...] = field(metadata=doc("表紙の表題（1行ずつ）。団体名の行は当事者から作られます。"))


@dataclass(frozen=True)
class PolicyArea:
    """One 取組 of a 別表: its name and the three rows of the table. Its number comes from order."""

    name: str = field(metadata=doc("取組名（番号 (1) などは付けない。順序から自動で付番）"))
    content: str = field(metadata=doc("取組内容"))
    hub_role: str = field(metadata=doc("甲の役割"))
    partner_role: str = field(metadata=doc("乙の役割"))


@dataclass(frozen=True)
class Section:
    """A numbered sub-heading of a 別表 (別表第3 has three), with its policy areas."""

    title: str = field(metadata=doc("小見出し（番号は順序から自動で付番）"))
    areas: tuple[PolicyArea, ...] = field(metadata=doc("この小見出しの取組"))


@dataclass(frozen=True)
class Schedule:
    """One 別表: either a flat list of areas or a list of sections, never both."""

    basis: str = field(metadata=doc("根拠規定（例: 第3条第1号）。見出しは 別表第N（…関係） と作られます。"))
    title: str = field(metadata=doc("政策分野の表題"))
    areas: tuple[PolicyArea, ...] = field(default=(), metadata=doc("取組（小見出しがない別表）"))
    sections: tuple[Section, ...] = field(default=(), metadata=doc("小見出しごとの取組（別表第3）"))

    def all_areas(self) -> tuple[PolicyArea, ...]:
        return self.areas + tuple(a for s in self.sections for a in s.areas)


@dataclass(frozen=True)
class Article:
    """One article of a 締結 agreement; its number 第N条 comes from order."""

    caption: str = field(metadata=doc("見出し（括弧なし。例: 目的）"))
    text: str = field(metadata=doc("本文。{甲} {乙} {甲職名} {乙職名} が使えます。"))
    items: ArticleItems = field(
        default="none", metadata=doc("schedules: 本文の後に別表の政策分野を号として列挙する（第3条）")
    )


@dataclass(frozen=True)
class AddedArea(PolicyArea):
    """A policy area one partner has in addition to the shared catalogue, and where it goes."""

    after: str = field(default="", metadata=doc("この取組名の後に入れる（省略時は末尾）"))


@dataclass(frozen=True)
class Rewording:
    """Another wording of a shared policy area for one partner; empty fields keep the shared text."""

    name: str = field(metadata=doc("対象の取組名（共通の別表の名前）"))
    new_name: str = field(default="", metadata=doc("新しい取組名"))
    content: str = field(default="", metadata=doc("取組内容"))
    hub_role: str = field(default="", metadata=doc("甲の役割"))
    partner_role: str = field(default="", metadata=doc("乙の役割"))


@dataclass(frozen=True)
class ScheduleOverride:
    """One partner's changes to one 別表 (or one of its sections) of the shared catalogue."""

    schedule: int = field(metadata=doc("別表の番号（別表第3 なら 3）", minimum=1, maximum=99))
    section: int = field(default=0, metadata=doc("小見出しの番号（小見出しのない別表は 0）", minimum=0, maximum=99))
    add: tuple[AddedArea, ...] = field(default=(), metadata=doc("追加する取組"))
    remove: tuple[str, ...] = field(default=(), metadata=doc("削除する取組の名前"))
    reword: tuple[Rewording, ...] = field(default=(), metadata=doc("文言を変える取組"))


@dataclass(frozen=True)
class ScheduleFile:
    """The 別表 catalogue shared by every partner."""

    schedules: tuple[Schedule, ...] = field(metadata=doc("別表第1, 第2, … の順"))


@dataclass(frozen=True)
class PrintOptions:
    """How the signing copies are printed; defaults follow common practice."""

    seal_position: SealPosition = field(
        default="over-last-char",
        metadata=doc("押印欄の位置: over-last-char（氏名の最後の1字に掛ける）/ after-name（氏名の右に1字空けて）"),
    )
    seal_guide: bool = field(default=True, metadata=doc("押印欄に薄い「印」の字を入れる"))
    fallback_font: FallbackFont = field(
        default="none",
        metadata=doc("本文の書体にない文字（例: 𠮷）を補う書体。ipamj-mincho = IPAmj明朝（約58,000字）"),
    )
    latin_spacing: bool = field(
        default=True, metadata=doc("英数字と仮名・漢字の間に四分アキを入れる（行を詰めるときは八分まで縮む）")
    )
    page_numbers: bool = field(default=False, metadata=doc("協約書にもページ番号（- 1 -）を入れる（署名原本には付けないのが通例）"))


@dataclass(frozen=True)
class CommonFile:
    """The parts of a round of agreements that are the same for every partner of the hub city."""

    kind: Kind = field(metadata=doc("協約の種類: 変更（別表の改正）/ 締結（第1条～と別表）"))
    cover: Cover = field(metadata=doc("表紙"))
    heading: str = field(metadata=doc("題名。{甲} {乙} は団体名に置き換わります。"))
    recital: tuple[str, ...] = field(metadata=doc("本文の段落（各段落1字下げ）。締結では前文。{甲} {乙} が使えます。"))
    closing: str = field(metadata=doc("結びの文。{通数} は copies に置き換わります。"))
    copies: int = field(metadata=doc("作成する通数", minimum=1, maximum=10))
    hub: Party = field(metadata=doc("甲（連携中枢都市）"))
    schedules: str = field(metadata=doc("別表ファイルへのパス（このファイルからの相対）"))
    articles: tuple[Article, ...] = field(default=(), metadata=doc("条（締結のみ）。第N条は順序から付番"))
    electronic_closing: str = field(
        default="",
        metadata=doc("電子契約（build --electronic）の結びの文。紙の closing に代わります。{甲} {乙} が使えます。"),
    )


@dataclass(frozen=True)
class AgreementFile:
    """One partner's agreement: small, everything shared lives in the common file."""

    id: str = field(
        metadata=doc("協約の識別子（出力フォルダ名）。英小文字・数字・ハイフン", pattern=r"^[a-z0-9][a-z0-9-]{0,63}$")
    )
    kind: Kind = field(metadata=doc("協約の種類: 変更 / 締結（共通部分のファイルの kind と同じであること）"))
    common: str = field(metadata=doc("共通部分のファイルへのパス（このファイルからの相対）"))
    date: dt.date = field(metadata=doc("締結日（ISO形式 2025-03-24）。和暦で表示されます。"))
    partner: Party = field(metadata=doc("乙（連携市町村）"))
    schedules: tuple[ScheduleOverride, ...] = field(
        default=(), metadata=doc("この相手方だけの別表の追加・削除・文言変更（番号は最終的な順序で付く）")
    )
    print: PrintOptions = field(default=PrintOptions(), metadata=doc("印刷の設定"))


@dataclass(frozen=True)
class ResolvedArticle:
    """An article with its placeholders filled and its listed items (if any) spelled out."""

    caption: str
    text: str
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class Agreement:
    """The resolved document: what the layout draws, with every placeholder filled."""

    id: str
    kind: Kind
    date: dt.date
    copies: int
    cover_lines: tuple[str, ...]
    heading: str
    recital: tuple[str, ...]
    articles: tuple[ResolvedArticle, ...]
    closing: str
    hub: Party
    partner: Party
    schedules: tuple[Schedule, ...]
    print: PrintOptions
    #: every file the document was made from, in reading order (for messages and manifests)
    sources: tuple[Path, ...]

    @property
    def parties(self) -> tuple[tuple[str, Party], tuple[str, Party]]:
        return (("甲", self.hub), ("乙", self.partner))

    @property
    def title(self) -> str:
        return self.heading
