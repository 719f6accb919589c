"""Choices the CLI names in every run's parser, apart from the modules that act on them: the
preflight's checks bring pikepdf and fontTools (~50 ms), the signing module pyHanko and aiohttp
(~390 ms), the archive's records and the PDF/A pass (~20 ms beyond a build's own imports), none of
which a plain build needs: the parser needs only their names."""

ENGINES = ("verapdf", "builtin")
#: --profile choices; "auto" takes the file's own pdfaid claim.
PROFILES = ("2a", "2u", "2b", "1b", "ua1", "auto")

#: the parties who sign, in signing order
ROLES = ("甲", "乙")
#: Paths are echoed whole (shown() still escapes control characters in them).
PATH_LIMIT = 4096

#: --pdfa / archive --pdfa choices (pdf/pdfa.py's LEVELS, which bring pikepdf; a test holds them equal)
PDFA_LEVELS = ("1b", "2a", "2b", "2u")
DEFAULT_PDFA_LEVEL = "2a"
