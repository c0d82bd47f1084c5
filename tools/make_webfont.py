"""Cut the Hangul web font of the book from the NanumGothic shipped in dlbook.

Browsers reject the full TTF as a web font, so the book ships a WOFF2 subset of the Hangul
ranges. The OFL reserves the name NanumGothic for the unmodified font, so the subset is
renamed "dlbook Hangul". Needs the ``fonts`` extra: ``pip install -e ".[fonts]"``.

    python tools/make_webfont.py     # writes _static/fonts/dlbook-hangul.woff2
"""

import shutil
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

from dlbook.plot import FONT_PATH

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "_static" / "fonts" / "dlbook-hangul.woff2"
# Hangul Jamo, Compatibility Jamo, Syllables: the ranges _static/hangul.css declares.
UNICODES = "U+1100-11FF,U+3130-318F,U+AC00-D7A3"
FAMILY = "dlbook Hangul"


def main() -> None:
    options = subset.Options(flavor="woff2", layout_features=["*"], name_IDs=["*"])
    font = subset.load_font(str(FONT_PATH), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(UNICODES))
    subsetter.subset(font)
    rename(font)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    subset.save_font(font, str(OUT), options)
    shutil.copy(FONT_PATH.with_name("OFL.txt"), OUT.with_name("OFL.txt"))
    print(f"wrote {OUT.relative_to(ROOT)} ({OUT.stat().st_size // 1024} KiB)")


def rename(font: TTFont) -> None:
    """Give the subset its own family name, as the OFL asks of modified versions."""
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID == 6:
            record.string = FAMILY.replace(" ", "-")


if __name__ == "__main__":
    main()
