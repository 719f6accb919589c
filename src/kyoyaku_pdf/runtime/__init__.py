"""What every process of ours sets up before its first import of ReportLab or the model, and keeps
between runs: the per-user cache folder (cache.py, also the font cache's), and the start-up savings —
import-time patterns compiled on first use (deferred_regex.py), modules run on first use
(lazy_modules.py), the methods ``dataclasses`` writes compiled once (dataclass_code.py)."""
