"""kyoyaku-pdf: YAML source data → print-ready PDF of the 変更連携協約書 of the 熊本連携中枢都市圏."""

from . import _deferred_regex, _lazy_modules

__version__ = "0.1.0"

# before anything imports ReportLab: see _deferred_regex.py (~25 ms a run) and _lazy_modules.py (~9 ms)
_deferred_regex.install()
_lazy_modules.install()

from . import _dataclass_code  # noqa: E402  (after the lines above: it imports dataclasses)

_dataclass_code.install()  # before the first @dataclass: see _dataclass_code.py (~20 ms a run)
