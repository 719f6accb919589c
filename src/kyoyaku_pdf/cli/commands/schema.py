"""`schema`: the JSON Schemas of the YAML files, for editors."""

from __future__ import annotations

import argparse
from pathlib import Path

from ...errors import ExitStatus
from ...messages import text

#: The published schemas: file name → (model type, title). Generated from the model, never edited by hand.
SCHEMAS = {
    "agreement.schema.json": ("AgreementFile", "kyoyaku-pdf 協約ファイル（相手方ごと）"),
    "common.schema.json": ("CommonFile", "kyoyaku-pdf 共通部分ファイル"),
    "schedules.schema.json": ("ScheduleFile", "kyoyaku-pdf 別表ファイル"),
}


def register(commands: argparse._SubParsersAction) -> None:
    schema = commands.add_parser("schema", help=text("help-schema"), description=text("help-schema-description"))
    schema.add_argument("-o", "--out", type=Path, default=Path("schema"), metavar="DIR", help=text("help-schema-out"))
    schema.set_defaults(run=_run_schema)


def _run_schema(args: argparse.Namespace) -> int:
    from ..build import write_all

    for name, content in schema_texts().items():
        write_all({args.out / name: content.encode("utf-8")})
        args.reporter.say(str(args.out / name))
    return ExitStatus.OK


def schema_texts() -> dict[str, str]:
    """The text of every published schema file, exactly as committed in schema/."""
    import json

    from ...input import model
    from ...input.binding import json_schema

    return {
        name: json.dumps(json_schema(getattr(model, cls), title), ensure_ascii=False, indent=2) + "\n"
        for name, (cls, title) in SCHEMAS.items()
    }
