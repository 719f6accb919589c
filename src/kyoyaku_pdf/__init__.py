"""kyoyaku-pdf: YAML source data → print-ready PDF of the 変更連携協約書 of the 熊本連携中枢都市圏."""

from . import _deferred_regex

__version__ = "0.1.0"

_deferred_regex.install()  # before anything imports ReportLab: see _deferred_regex.py (~25 ms a run)

from . import _dataclass_code  # noqa: E402  (after the line above: it imports dataclasses)

_dataclass_code.install()  # before the first @dataclass: see _dataclass_code.py (~20 ms a run)
