"""Which installed fonts the certificate PDF uses.

The text font is DejaVu Sans (Latin with every diacritic, Greek, Cyrillic...), from
Debian's ``fonts-dejavu-core`` or the same files elsewhere. Characters it lacks (Chinese,
Japanese, Korean names) come from the first installed fallback font that has them: Debian's
``fonts-droid-fallback``, ``fonts-wqy-microhei`` or ``fonts-noto-cjk``. Set
``CERTIFICATE_FONT``, ``CERTIFICATE_FONT_BOLD`` and ``CERTIFICATE_FALLBACK_FONTS`` (paths)
to use others. No font is ever downloaded.

Without any of them the PDF is still made, in the PDF core font Helvetica, with characters
outside Latin-1 replaced (and a warning logged), rather than refusing the learner."""

import logging
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from fontTools.ttLib import TTFont

log = logging.getLogger(__name__)

#: (regular, bold) pairs, in the places Linux distributions install DejaVu Sans.
TEXT_FONTS = [
    (f"{folder}/DejaVuSans.ttf", f"{folder}/DejaVuSans-Bold.ttf")
    for folder in (
        "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
        "/usr/share/fonts/dejavu-sans-fonts",  # Fedora, RHEL
        "/usr/share/fonts/dejavu",  # Alpine
        "/usr/share/fonts/TTF",  # Arch
    )
]
#: Fonts with the CJK ideographs, tried in order for characters the text font lacks.
FALLBACK_FONTS = [
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",  # fonts-droid-fallback
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",  # fonts-wqy-microhei
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",  # fonts-noto-cjk
    "/usr/share/fonts/google-droid-sans-fonts/DroidSansFallbackFull.ttf",  # Fedora
]


@dataclass(frozen=True)
class FontChoice:
    regular: str | None
    bold: str | None
    fallbacks: tuple[str, ...]


def choose_fonts(config) -> FontChoice:
    """The installed fonts to use, configured ones first."""
    pairs = [(config.get("CERTIFICATE_FONT"), config.get("CERTIFICATE_FONT_BOLD")), *TEXT_FONTS]
    regular, bold = next(((r, b) for r, b in pairs if r and Path(r).is_file()), (None, None))
    if bold and not Path(bold).is_file():
        bold = None
    fallbacks = [*config["CERTIFICATE_FALLBACK_FONTS"], *FALLBACK_FONTS]
    return FontChoice(regular, bold, tuple(path for path in fallbacks if Path(path).is_file()))


@lru_cache(maxsize=16)
def characters_of(path: str) -> frozenset[int]:
    """The code points the font has glyphs for (read once per process)."""
    font = TTFont(path, fontNumber=0, lazy=True)
    try:
        return frozenset(font.getBestCmap() or ())
    finally:
        font.close()


def fallbacks_for(text: str, choice: FontChoice) -> list[str]:
    """The fallback fonts needed to draw ``text``, fewest first: none when the text font
    has every character, so ordinary certificates never load a large CJK font."""
    missing = {ord(char) for char in text if not char.isspace()}
    if choice.regular:
        missing -= characters_of(choice.regular)
    needed = []
    for path in choice.fallbacks:
        if not missing:
            break
        covered = missing & characters_of(path)
        if covered:
            needed.append(path)
            missing -= covered
    if missing:
        sample = "".join(sorted(chr(code) for code in missing)[:10])
        log.warning("No installed font has these characters for a certificate: %s", sample)
    return needed
