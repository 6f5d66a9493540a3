"""Fonts for the PDF: a CJK TrueType font that reportlab embeds (so Chinese text is searchable),
and a Latin one for the letters and digits the CJK fallback fonts lack."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError, TTFont

from kuajing.errors import KuajingError

ENV = "KUAJING_CJK_FONT"
PACKAGE = "fonts-droid-fallback"
# Debian's Droid Sans Fallback (Apache-2.0) is TrueType (glyf outlines), which reportlab can
# subset and embed; the usual Noto CJK files are CFF-based and it cannot.
CJK_FONTS = (Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),)
# Droid Sans Fallback has no Latin letters or digits: DejaVu Sans (fonts-dejavu-core) has them.
LATIN_FONTS = (Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),)
BASE14 = "Helvetica"  # when DejaVu is missing: not embedded, Latin-1 only


class FontMissing(KuajingError):
    """No CJK TrueType font that reportlab can embed was found."""


@dataclass(frozen=True)
class Fonts:
    cjk: str  # registered reportlab names
    latin: str
    cjk_chars: frozenset[int]
    latin_chars: frozenset[int] | None  # None: the base-14 font (Latin-1)

    def pick(self, ch: str) -> str:
        """The font that has a glyph for `ch`: Latin first (nicer digits), then CJK."""
        code = ord(ch)
        latin = code < 256 if self.latin_chars is None else code in self.latin_chars
        if latin or code not in self.cjk_chars:
            return self.latin if latin else self.cjk
        return self.cjk

    def markup(self, text: str) -> str:
        """`text` as reportlab paragraph markup, each run in the font that has its glyphs (so
        digits and Latin letters reach the PDF's text layer as themselves)."""
        runs: list[tuple[str, str]] = []
        for ch in text:
            font = runs[-1][0] if ch.isspace() and runs else self.pick(ch)
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return "".join(f'<font name="{f}">{escape(t)}</font>' for f, t in runs)


def cjk_font_path() -> Path:
    """`$KUAJING_CJK_FONT`, else the Debian font; raise `FontMissing` naming the package."""
    env = os.environ.get(ENV)
    if env:
        path = Path(env)
        if not path.is_file():
            raise FontMissing(f"{ENV}={env} is not a file; install the Debian package {PACKAGE}")
        return path
    for path in CJK_FONTS:
        if path.is_file():
            return path
    raise FontMissing(
        f"no CJK TrueType font found: install the Debian package {PACKAGE} "
        f"(or set {ENV} to a .ttf file)"
    )


def load_fonts() -> Fonts:
    return _register(cjk_font_path(), next((p for p in LATIN_FONTS if p.is_file()), None))


@cache
def _register(cjk: Path, latin: Path | None) -> Fonts:
    cjk_name, cjk_chars = _ttf("KuajingCJK", cjk)
    if latin is None:
        return Fonts(cjk_name, BASE14, cjk_chars, None)
    latin_name, latin_chars = _ttf("KuajingLatin", latin)
    return Fonts(cjk_name, latin_name, cjk_chars, latin_chars)


def _ttf(prefix: str, path: Path) -> tuple[str, frozenset[int]]:
    name = f"{prefix}-{path.stem}"
    try:
        font = TTFont(name, str(path))
    except (TTFError, OSError) as exc:
        raise FontMissing(
            f"{path}: not a TrueType font reportlab can embed ({exc}); "
            f"install the Debian package {PACKAGE}"
        ) from None
    pdfmetrics.registerFont(font)
    return name, frozenset(font.face.charToGlyph)
