"""The preflight's engines and profiles, apart from its checks: the CLI names them in every run's
parser, and the checks module brings pikepdf and fontTools (~50 ms) that a build does not need."""

ENGINES = ("verapdf", "builtin")
#: --profile choices; "auto" takes the file's own pdfaid claim.
PROFILES = ("2a", "2u", "2b", "1b", "ua1", "auto")
