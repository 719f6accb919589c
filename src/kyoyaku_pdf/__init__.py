"""kyoyaku-pdf: YAML source data → print-ready PDF of the 変更連携協約書 of the 熊本連携中枢都市圏."""

__version__ = "0.1.0"
