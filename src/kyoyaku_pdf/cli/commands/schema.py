"""`schema`: the JSON Schemas of the YAML files, for editors."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from ...errors import ExitStatus
from ...input.binding import json_schema
from ...input.model import AgreementFile, CommonFile, ScheduleFile

#: The published schemas: file name → (type, title). Generated from the model, never edited by hand.
SCHEMAS = {
    "agreement.schema.json": (AgreementFile, "kyoyaku-pdf 協約ファイル（相手方ごと）"),
    "common.schema.json": (CommonFile, "kyoyaku-pdf 共通部分ファイル"),
    "schedules.schema.json": (ScheduleFile, "kyoyaku-pdf 別表ファイル"),
}


def register(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser("schema", help="write the JSON Schemas of the YAML files (for editors)")
    schema.add_argument("-o", "--out", type=Path, default=Path("schema"), metavar="DIR",
                        help="folder for the *.schema.json files (default: schema)")
    schema.set_defaults(run=_run_schema)


def _run_schema(args: argparse.Namespace) -> int:
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in schema_texts().items():
        (args.out / name).write_text(text, encoding="utf-8")
        print(args.out / name)
    return ExitStatus.OK


def schema_texts() -> dict[str, str]:
    """The text of every published schema file, exactly as committed in schema/."""
    return {
        name: json.dumps(json_schema(cls, title), ensure_ascii=False, indent=2) + "\n"
        for name, (cls, title) in SCHEMAS.items()
    }
