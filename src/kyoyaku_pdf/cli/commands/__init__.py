"""One module per command, each with ``register(commands)`` adding its parser.

A module is imported when its parser is made: a run makes only its own command's (cli/main.py),
so it does not import the other nine (~1 ms); ``--help`` and a mistyped command make them all."""

from __future__ import annotations

from importlib import import_module
from types import ModuleType

#: Each command's name → the module that registers it, in the order ``--help`` lists them
#: (tests/cli/test_parser.py holds it to what each module registers).
BY_NAME = {"build": "build", "check": "check", "preflight": "preflight", "archive": "archive",
           "verify-archive": "archive", "diff": "diff", "notice": "notice", "new": "new", "schema": "schema",
           "sign": "sign", "verify-signatures": "verify_signatures"}


def command_module(name: str) -> ModuleType:
    """The module of the command ``name`` (one of BY_NAME)."""
    return import_module(f"{__name__}.{BY_NAME[name]}")


def all_modules() -> list[ModuleType]:
    """Every command's module, in the order ``--help`` lists them."""
    return [import_module(f"{__name__}.{module}") for module in dict.fromkeys(BY_NAME.values())]
