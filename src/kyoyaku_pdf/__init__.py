"""kyoyaku-pdf: YAML source data → print-ready PDF of the 変更連携協約書 of the 熊本連携中枢都市圏."""

from .runtime import deferred_regex, lazy_modules

__version__ = "0.1.0"

# before anything imports ReportLab: see deferred_regex.py (~25 ms a run) and lazy_modules.py (~9 ms)
deferred_regex.install()
lazy_modules.install()

from .runtime import dataclass_code  # noqa: E402  (after the lines above: it imports dataclasses)

dataclass_code.install()  # before the first @dataclass: see dataclass_code.py (~20 ms a run)
