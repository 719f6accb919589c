"""One module per command, each with ``register(commands)`` adding its parser."""

from . import archive, build, check, diff, new, notice, preflight, schema, sign, verify_signatures

#: In the order ``--help`` lists them.
COMMANDS = (build, check, preflight, archive, diff, notice, new, schema, sign, verify_signatures)
#: Each command's name → the module that registers it (tests/cli/test_cli.py holds it to what they register).
BY_NAME = {"build": build, "check": check, "preflight": preflight, "archive": archive, "verify-archive": archive,
           "diff": diff, "notice": notice, "new": new, "schema": schema, "sign": sign,
           verify_signatures.COMMAND: verify_signatures}
