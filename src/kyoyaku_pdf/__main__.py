"""``python -m kyoyaku_pdf`` runs the command line."""

from .cli.main import run

run()
