"""Derive the course's Hangul font, "dlbook Hangul", from NanumGothic (SIL OFL 1.1).

NanumGothic has no minus sign (U+2212), which matplotlib draws in every negative tick label
and in math such as 10⁻⁵; a label mixing Hangul and math must be drawn in one font that has
both. So this adds a minus glyph (the width of "+", the stroke of "-") and, as the OFL asks of
modified fonts, gives the result its own name. It writes

    dlbook/plot/fonts/dlbook-hangul.ttf   the whole font, for matplotlib
    _static/fonts/dlbook-hangul.woff2     its Hangul subset, the book's web font (browsers
                                          reject the full TTF)

    apt-get install fonts-nanum && pip install -e ".[fonts]"
    python tools/make_fonts.py --source /usr/share/fonts/truetype/nanum/NanumGothic.ttf
"""

import argparse
import shutil
from pathlib import Path

from fontTools import subset
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parents[1]
FONTS = ROOT / "dlbook" / "plot" / "fonts"
TTF = FONTS / "dlbook-hangul.ttf"
WOFF2 = ROOT / "_static" / "fonts" / "dlbook-hangul.woff2"
FAMILY = "dlbook Hangul"
# Hangul Jamo, CJK Symbols and Punctuation (『 』 around a book's title, 「 」), Compatibility
# Jamo, Syllables: the ranges _static/dlbook.css declares.
HANGUL = "U+1100-11FF,U+3000-303F,U+3130-318F,U+AC00-D7A3"


def add_minus(font: TTFont) -> None:
    """A minus sign: a bar as wide as the plus sign's, as thick as the hyphen, at its height."""
    glyf, plus, hyphen = font["glyf"], font["glyf"]["plus"], font["glyf"]["hyphen"]
    thickness = hyphen.yMax - hyphen.yMin
    bottom = (plus.yMin + plus.yMax - thickness) // 2
    pen = TTGlyphPen(None)
    for point in [(plus.xMin, bottom), (plus.xMin, bottom + thickness),
                  (plus.xMax, bottom + thickness), (plus.xMax, bottom)]:  # clockwise
        (pen.lineTo if pen.points else pen.moveTo)(point)
    pen.closePath()
    font.setGlyphOrder(font.getGlyphOrder() + ["minus"])
    glyf["minus"] = pen.glyph()
    font["hmtx"]["minus"] = font["hmtx"]["plus"]
    for table in font["cmap"].tables:
        if table.isUnicode():
            table.cmap[0x2212] = "minus"
    for per_glyph_table in ("hdmx", "LTSH", "VDMX"):  # device metrics: not needed, now stale
        if per_glyph_table in font:
            del font[per_glyph_table]


def rename(font: TTFont) -> None:
    """Its own family name, as the OFL asks of modified versions."""
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = FAMILY
        elif record.nameID in (3, 6):
            record.string = FAMILY.replace(" ", "-")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="NanumGothic.ttf")
    source = parser.parse_args().source

    font = TTFont(source)
    add_minus(font)
    rename(font)
    font.save(TTF)

    options = subset.Options(flavor="woff2", layout_features=["*"], name_IDs=["*"])
    web = subset.load_font(str(TTF), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(HANGUL))
    subsetter.subset(web)
    subset.save_font(web, str(WOFF2), options)
    shutil.copy(FONTS / "OFL.txt", WOFF2.with_name("OFL.txt"))
    for path in (TTF, WOFF2):
        print(f"wrote {path.relative_to(ROOT)} ({path.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()
