"""One module per command, each with ``register(commands)`` adding its parser."""

from . import archive, build, check, diff, new, notice, preflight, schema, sign, verify_signatures

#: In the order ``--help`` lists them.
COMMANDS = (build, check, preflight, archive, diff, notice, new, schema, sign, verify_signatures)
