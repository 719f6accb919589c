"""``python -m kyoyaku_pdf`` runs the command line."""

import sys

from .cli import main

sys.exit(main())
