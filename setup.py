"""The one packaging step pyproject.toml cannot say: the bundled fonts live once in the checkout,
at the top (``fonts/``, where the README and the licences put them), and a wheel must carry them
as package data (``kyoyaku_pdf/fonts/``) so that ``pip install .`` and ``pipx install .`` give a
tool that finds its fonts from any folder. ``pdf/fonts.py`` looks in the package first, then in
the checkout, so an editable install (the Makefile's) keeps using ``fonts/`` directly.
"""

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

FONTS = Path(__file__).resolve().parent / "fonts"


class build_py_with_fonts(build_py):  # noqa: N801 — setuptools' command naming
    """build_py, plus a copy of fonts/ (font files and their licences) into kyoyaku_pdf/fonts/."""

    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # editable: the package runs from the checkout
            return
        target = Path(self.build_lib) / "kyoyaku_pdf" / "fonts"
        self.mkpath(str(target))
        for source in sorted(FONTS.iterdir()):
            if source.is_file():
                self.copy_file(str(source), str(target / source.name))


setup(cmdclass={"build_py": build_py_with_fonts})
